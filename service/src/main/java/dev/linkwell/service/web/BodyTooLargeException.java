package dev.linkwell.service.web;

import java.io.IOException;

/** Thrown while reading a body without Content-Length once it passes the limit. */
class BodyTooLargeException extends IOException {

    BodyTooLargeException(long limit) {
        super("request body is larger than " + limit + " bytes");
    }
}

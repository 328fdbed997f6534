package dev.linkwell.service.web;

import dev.linkwell.service.session.StartOptions;

/** Optional body of {@code PUT /sessions/{id}}; unknown fields are rejected. */
record StartSessionBody(String provider, String phone, String storage) {

    StartOptions toOptions() {
        return new StartOptions(provider, phone, storage);
    }
}

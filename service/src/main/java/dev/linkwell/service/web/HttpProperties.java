package dev.linkwell.service.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/** {@code linkwell.http.*}. @param maxBodySize larger request bodies are refused with 413 */
@ConfigurationProperties("linkwell.http")
public record HttpProperties(@DefaultValue("4KB") DataSize maxBodySize) {}

package dev.linkwell.service;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class LinkwellApplication {

    public static void main(String[] args) {
        SpringApplication.run(LinkwellApplication.class, args);
    }
}

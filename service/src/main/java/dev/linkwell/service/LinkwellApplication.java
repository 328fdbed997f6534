package dev.linkwell.service;

import dev.linkwell.service.diagnostics.DoctorCommand;
import dev.linkwell.service.storage.backend.StorageKeyCommand;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class LinkwellApplication {

    public static void main(String[] args) {
        if (DoctorCommand.requested(args)) {
            System.exit(DoctorCommand.run(args, System.out, System.err));
        }
        if (StorageKeyCommand.requested(args)) {
            System.exit(StorageKeyCommand.run(args, System.out, System.err));
        }
        SpringApplication.run(LinkwellApplication.class, args);
    }
}

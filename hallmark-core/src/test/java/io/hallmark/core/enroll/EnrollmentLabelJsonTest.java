package io.hallmark.core.enroll;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** EST labels are stored as JSON in the shared configuration: labels written before a field existed read with its default. */
class EnrollmentLabelJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aLabelStoredBeforeImportedIssuersAcceptsNoImportedCertificates() throws Exception {
        String stored = """
                [{"name":"partner","ca":"ldevid-ca","profile":"ldevid","idevidIssuers":["idevid-ca"],"foreignAnchors":[],"allowBootstrap":true}]""";
        EnrollmentLabel label = JSON.readValue(stored, new TypeReference<List<EnrollmentLabel>>() { }).getFirst();
        assertEquals(List.of(), label.importedIssuers());
        assertEquals(List.of(), label.policy().importedIssuers());
        assertEquals(true, label.policy().allowBootstrap());
    }

    @Test
    void importedIssuersSurviveTheRoundTrip() throws Exception {
        var label = new EnrollmentLabel("migrate", "ldevid-ca", "ldevid", List.of("idevid-ca"), List.of(), false, List.of("cloud-ca"));
        EnrollmentLabel read = JSON.readValue(JSON.writeValueAsString(label), EnrollmentLabel.class);
        assertEquals(label, read);
        assertEquals(List.of("cloud-ca"), read.policy().importedIssuers());
    }
}

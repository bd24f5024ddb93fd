package io.hallmark.server.api;

import io.hallmark.core.report.CertificateSummary;

import java.util.List;

/** A device in the registry: its hardware name, whether it may enroll, and its IDevID -> LDevIDs. */
record DeviceView(String id, String createdAt, String hwType, String hwSerial, boolean blocked, List<CertificateSummary> certificates) {
}

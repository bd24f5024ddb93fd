package io.hallmark.server.api;

import io.hallmark.core.report.CertificateSummary;

import java.util.List;

/**
 * A device in the registry: its hardware name, whether it may enroll, its IDevID -> LDevIDs, and when it was last
 * seen (its newest event: an enrollment, an authentication a backend reported; null if none is kept).
 */
record DeviceView(String id, String createdAt, String hwType, String hwSerial, boolean blocked, String lastSeen,
                  List<CertificateSummary> certificates) {
}

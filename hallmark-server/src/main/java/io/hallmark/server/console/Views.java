package io.hallmark.server.console;

import io.hallmark.core.audit.AuditEntry;
import io.hallmark.core.posture.PostureReport;
import io.hallmark.core.report.CaSummary;
import io.hallmark.core.report.CertificateSummary;

import java.util.List;
import java.util.Map;

/** The models the console's templates render (src/main/jte). */
public final class Views {

    private Views() {
    }

    /** @param radarJson the radar's labels and scores for console.js ({"labels":[...],"scores":[...],"whatIf":[...]}) */
    public record Overview(PostureReport posture, String radarJson, long cas, long devices, long validCertificates,
                           long expiringWithin30d, String expiryJson, List<AuditEntry> recentAudit) {
    }

    public record CaNode(CaSummary ca, List<CaNode> children) {
    }

    public record DeviceList(String query, List<String> ids) {
    }

    public record Device(String id, String createdAt, String hwType, String hwSerial, boolean blocked,
                         List<CertificateSummary> idevids, List<CertificateSummary> ldevids) {
    }

    /** Factory batches, newest first; {@code anyRunning}: the list refreshes itself until none runs. */
    public record Batches(List<io.hallmark.core.factory.BatchStatus> batches, boolean anyRunning) {
    }

    public record Certificate(CertificateSummary summary, String pem) {
    }

    public record Audit(boolean intact, long entries, String headHash, String problem, List<AuditEntry> recent) {
    }

    /** The radar as it is and as it would be under {@code whatIf} (the slider form's values). */
    public record Posture(PostureReport actual, PostureReport whatIf, String radarJson, int hardwareKeys, boolean rootInHsm,
                          boolean casInHsm, boolean checkpointNow) {
    }
}

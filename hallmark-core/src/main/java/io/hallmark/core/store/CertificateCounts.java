package io.hallmark.core.store;

/**
 * One CA's certificates by status at an instant, and the unrevoked ones expiring within 7, 30 and 90 days
 * (each window includes the shorter ones; expired certificates are in none).
 */
public record CertificateCounts(String ca, long valid, long expired, long revoked, long within7Days, long within30Days, long within90Days) {
}

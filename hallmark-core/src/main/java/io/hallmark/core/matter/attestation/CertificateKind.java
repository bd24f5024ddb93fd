package io.hallmark.core.matter.attestation;

/** The three certificates of a device attestation chain (Matter Core Specification §6.2.2). */
public enum CertificateKind {
    /** Product Attestation Authority: the self-signed root, listed on the CSA's Distributed Compliance Ledger. */
    PAA,
    /** Product Attestation Intermediate: signs DACs, one per vendor or product line. */
    PAI,
    /** Device Attestation Certificate: the device's own, like an IEEE 802.1AR IDevID. */
    DAC
}

package io.hallmark.core.matter;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;

/**
 * The Matter-specific distinguished-name attribute types (Matter Core Specification §6.1.1 and §6.5.6; the SDK's
 * {@code src/lib/asn1/ASN1OID.h}), under the CSA's arc 1.3.6.1.4.1.37244. Their values are UTF8Strings of
 * upper-case hex digits: 16 for the 64-bit ids, 8 for a CASE Authenticated Tag, 4 for a Vendor or Product ID.
 */
public final class MatterOids {

    private MatterOids() {
    }

    private static final ASN1ObjectIdentifier CSA = new ASN1ObjectIdentifier("1.3.6.1.4.1.37244");
    private static final ASN1ObjectIdentifier OPERATIONAL = CSA.branch("1");
    private static final ASN1ObjectIdentifier ATTESTATION = CSA.branch("2");

    /** matter-node-id: a NOC's operational node id (64 bits). */
    public static final ASN1ObjectIdentifier NODE_ID = OPERATIONAL.branch("1");
    /** matter-firmware-signing-id (64 bits). */
    public static final ASN1ObjectIdentifier FIRMWARE_SIGNING_ID = OPERATIONAL.branch("2");
    /** matter-icac-id: an intermediate CA's id (64 bits). */
    public static final ASN1ObjectIdentifier ICAC_ID = OPERATIONAL.branch("3");
    /** matter-rcac-id: a root CA's id (64 bits). */
    public static final ASN1ObjectIdentifier RCAC_ID = OPERATIONAL.branch("4");
    /** matter-fabric-id (64 bits, non-zero). */
    public static final ASN1ObjectIdentifier FABRIC_ID = OPERATIONAL.branch("5");
    /** matter-noc-cat: a CASE Authenticated Tag (32 bits: identifier, version). */
    public static final ASN1ObjectIdentifier NOC_CAT = OPERATIONAL.branch("6");

    /** Vendor ID of a PAA (optional), PAI and DAC (16 bits). */
    public static final ASN1ObjectIdentifier VENDOR_ID = ATTESTATION.branch("1");
    /** Product ID of a PAI (optional) and DAC (16 bits). */
    public static final ASN1ObjectIdentifier PRODUCT_ID = ATTESTATION.branch("2");
}

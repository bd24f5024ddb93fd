package io.hallmark.core.matter.attestation;

/**
 * The Vendor ID and Product ID a certificate's subject carries (null where absent), and whether they came from
 * the legacy {@code Mvid:}/{@code Mpid:} form of the common name rather than the Matter attributes.
 */
record VidPid(Integer vendorId, Integer productId, boolean fromCommonName) {

    static final VidPid NONE = new VidPid(null, null, false);

    boolean any() {
        return vendorId != null || productId != null;
    }

    static String hex(Integer id) {
        return id == null ? "none" : String.format("0x%04X", id);
    }

    /** "Vendor ID 0xFFF1 (Matter attribute)" or "... (Mvid: in the CN)". */
    String vendorText() {
        return "Vendor ID " + hex(vendorId) + (vendorId == null ? "" : fromCommonName ? " (Mvid: in the CN)" : "");
    }

    String productText() {
        return "Product ID " + hex(productId) + (productId == null ? "" : fromCommonName ? " (Mpid: in the CN)" : "");
    }
}

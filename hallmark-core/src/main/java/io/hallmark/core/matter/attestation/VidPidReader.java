package io.hallmark.core.matter.attestation;

import io.hallmark.core.matter.MatterOids;
import io.hallmark.core.text.SafeText;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the Vendor and Product ID of an attestation certificate's subject (Matter Core Specification
 * §6.2.2.2, the SDK's {@code ExtractVIDPIDFromX509Cert}):
 * <ul>
 *   <li>The Matter attributes 1.3.6.1.4.1.37244.2.1 (VID) and .2.2 (PID): each at most once, exactly four
 *   upper-case hex digits.</li>
 *   <li>Only when neither attribute is present, the legacy form inside a common name: {@code Mvid:} and
 *   {@code Mpid:}, each followed by exactly four upper-case hex digits, anywhere in the CN, in any order, with
 *   any separator or none. The CN is scanned left to right; the first occurrence of the prefix that is followed
 *   by four upper-case hex digits gives the value; a prefix that occurs but is never followed by them makes the
 *   subject malformed ({@code Mvid:fff1}, {@code Mvid:FF1 }, {@code Mpid:} at the end). The prefixes are
 *   case-sensitive ({@code MVID:} is not one). Only the first 64 bytes of the CN are read, and the first CN that
 *   yields an id is the one used.</li>
 * </ul>
 * With the attributes present the CN is not read at all, so values in it are ignored, right or wrong.
 */
final class VidPidReader {

    private static final String VID_PREFIX = "Mvid:";
    private static final String PID_PREFIX = "Mpid:";
    /** The SDK's {@code kMax_CommonNameAttr_Length}. */
    private static final int MAX_CN_BYTES = 64;
    private static final int HEX_DIGITS = 4;

    private VidPidReader() {
    }

    /** The subject's ids; the exception's message names the broken rule. */
    static VidPid read(X500Name subject) throws Malformed {
        Integer vid = null, pid = null;
        for (RDN rdn : subject.getRDNs()) {
            for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                boolean isVid = MatterOids.VENDOR_ID.equals(atv.getType());
                if (isVid || MatterOids.PRODUCT_ID.equals(atv.getType())) {
                    String name = isVid ? "Vendor ID attribute" : "Product ID attribute";
                    int value = attributeValue(name, atv.getValue());
                    if (isVid ? vid != null : pid != null) {
                        throw new Malformed("more than one " + name);
                    }
                    if (isVid) {
                        vid = value;
                    } else {
                        pid = value;
                    }
                }
            }
        }
        if (vid != null || pid != null) {
            return new VidPid(vid, pid, false);
        }
        for (RDN rdn : subject.getRDNs()) {
            for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                if (BCStyle.CN.equals(atv.getType())) {
                    VidPid found = fromCommonName(text(atv.getValue()));
                    if (found.any()) {
                        return found;
                    }
                }
            }
        }
        return VidPid.NONE;
    }

    private static int attributeValue(String name, ASN1Encodable value) throws Malformed {
        String text = text(value);
        int parsed = upperHex(text.getBytes(StandardCharsets.UTF_8), 0);
        if (text.length() != HEX_DIGITS || parsed < 0) {
            throw new Malformed(name + " '" + SafeText.escape(text) + "' is not exactly four upper-case hex digits");
        }
        return parsed;
    }

    /** The legacy ids in one CN value. */
    static VidPid fromCommonName(String cn) throws Malformed {
        byte[] bytes = cn.getBytes(StandardCharsets.UTF_8);
        byte[] read = bytes.length > MAX_CN_BYTES ? Arrays.copyOf(bytes, MAX_CN_BYTES) : bytes;
        Integer vid = afterPrefix(read, VID_PREFIX, cn);
        Integer pid = afterPrefix(read, PID_PREFIX, cn);
        return vid == null && pid == null ? VidPid.NONE : new VidPid(vid, pid, true);
    }

    private static Integer afterPrefix(byte[] cn, String prefix, String whole) throws Malformed {
        byte[] p = prefix.getBytes(StandardCharsets.US_ASCII);
        boolean seen = false;
        for (int at = 0; at + p.length <= cn.length; at++) {
            if (!Arrays.equals(cn, at, at + p.length, p, 0, p.length)) {
                continue;
            }
            seen = true;
            int value = at + p.length + HEX_DIGITS <= cn.length ? upperHex(cn, at + p.length) : -1;
            if (value >= 0) {
                return value;
            }
        }
        if (seen) {
            throw new Malformed("common name '" + SafeText.escape(whole) + "' has " + prefix
                    + " without exactly four upper-case hex digits after it");
        }
        return null;
    }

    /** The value of four upper-case hex digits at {@code at}, or -1. */
    private static int upperHex(byte[] in, int at) {
        if (at + HEX_DIGITS > in.length) {
            return -1;
        }
        int value = 0;
        for (int i = at; i < at + HEX_DIGITS; i++) {
            int d = in[i] >= '0' && in[i] <= '9' ? in[i] - '0' : in[i] >= 'A' && in[i] <= 'F' ? in[i] - 'A' + 10 : -1;
            if (d < 0) {
                return -1;
            }
            value = value << 4 | d;
        }
        return value;
    }

    private static String text(ASN1Encodable value) throws Malformed {
        if (value instanceof ASN1String s) {
            return s.getString();
        }
        throw new Malformed("attribute value is not a string");
    }

    /** The subject breaks a VID/PID rule; the message says which. */
    static final class Malformed extends Exception {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }
}

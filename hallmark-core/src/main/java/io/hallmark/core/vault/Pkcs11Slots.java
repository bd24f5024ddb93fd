package io.hallmark.core.vault;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.NativeLongByReference;
import io.hallmark.core.error.HallmarkException;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the slot that holds the token of a given label. SunPKCS11 is configured by slot id or index only, and
 * slot ids are not stable (SoftHSM2 derives them from the token, a real HSM from its partitions), so the label,
 * which the operator chose, is resolved to the slot at each start by asking the library itself
 * (C_GetSlotList, C_GetTokenInfo). Public for the device agent, whose IDevID key may sit on a token too.
 */
public final class Pkcs11Slots {

    private static final long CKR_OK = 0;
    private static final long CKR_CRYPTOKI_ALREADY_INITIALIZED = 0x191;

    /** The four Cryptoki calls needed, bound by name (CK_RV, CK_ULONG and CK_SLOT_ID are C unsigned longs). */
    public interface Cryptoki extends Library {
        NativeLong C_Initialize(Pointer args);

        NativeLong C_Finalize(Pointer reserved);

        NativeLong C_GetSlotList(byte tokenPresent, NativeLong[] slots, NativeLongByReference count);

        NativeLong C_GetTokenInfo(NativeLong slot, byte[] info);
    }

    /**
     * Libraries SunPKCS11 has been given in this process. SunPKCS11 initializes a library once and keeps it for the
     * life of the process, so once it has one, a lookup here must leave it initialized (after a reset it is this
     * class that initialized it again, for SunPKCS11).
     */
    private static final java.util.Set<Path> HANDED_OVER = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private Pkcs11Slots() {
    }

    /** Called before SunPKCS11 is configured with {@code library}. */
    public static void handedOver(Path library) {
        HANDED_OVER.add(library);
    }

    /**
     * @param reset when the token is not found in a library already initialized (by SunPKCS11), finalize and
     *              initialize it again before looking once more: some libraries (SoftHSM2) scan for tokens only at
     *              C_Initialize, so a token that went away and came back is otherwise never seen again. Only for
     *              a reconnect, when the sessions of the old provider are broken anyway.
     */
    public static synchronized long slotOf(Path library, String tokenLabel, boolean reset) {
        try {
            return slotOf(library, tokenLabel);
        } catch (HallmarkException e) {
            if (!reset || e.kind() != HallmarkException.Kind.NOT_FOUND) throw e;
            Cryptoki p11 = Native.load(library.toString(), Cryptoki.class);
            p11.C_Finalize(null);
            long rv = p11.C_Initialize(osLocking()).longValue();
            if (rv != CKR_OK) {
                throw HallmarkException.unavailable("PKCS#11 library " + library + " did not initialize again (CKR 0x" + Long.toHexString(rv) + ")", null);
            }
            return slotOf(library, tokenLabel);
        }
    }

    private static long slotOf(Path library, String tokenLabel) {
        Cryptoki p11;
        try {
            p11 = Native.load(library.toString(), Cryptoki.class);
        } catch (UnsatisfiedLinkError e) {
            throw HallmarkException.badInput("cannot load PKCS#11 library " + library + ": " + e.getMessage());
        }
        long rv = p11.C_Initialize(osLocking()).longValue();
        if (rv != CKR_OK && rv != CKR_CRYPTOKI_ALREADY_INITIALIZED) {
            throw HallmarkException.unavailable("PKCS#11 library " + library + " did not initialize (CKR 0x" + Long.toHexString(rv) + "; is the token there and its configuration readable?)", null);
        }
        try {
            NativeLongByReference count = new NativeLongByReference();
            check(p11.C_GetSlotList((byte) 1, null, count), "C_GetSlotList", library);
            NativeLong[] slots = new NativeLong[Math.max(1, count.getValue().intValue())];
            for (int i = 0; i < slots.length; i++) slots[i] = new NativeLong();
            check(p11.C_GetSlotList((byte) 1, slots, count), "C_GetSlotList", library);
            List<String> labels = new ArrayList<>();
            byte[] info = new byte[1024]; // CK_TOKEN_INFO starts with the 32-byte blank-padded label; nothing else is read
            for (int i = 0; i < count.getValue().intValue(); i++) {
                if (p11.C_GetTokenInfo(slots[i], info).longValue() != CKR_OK) continue;
                String label = new String(info, 0, 32, StandardCharsets.UTF_8).stripTrailing();
                if (label.equals(tokenLabel)) return slots[i].longValue();
                labels.add("'" + label + "'");
            }
            throw HallmarkException.notFound("no PKCS#11 token labelled '" + tokenLabel + "' in " + library
                    + (labels.isEmpty() ? " (no initialized token; SoftHSM2: softhsm2-util --init-token --free --label " + tokenLabel + ")"
                    : " (tokens: " + String.join(", ", labels) + ")"));
        } finally {
            if (rv == CKR_OK && !HANDED_OVER.contains(library)) {
                p11.C_Finalize(null); // leave the library uninitialized, as SunPKCS11 expects to find it
            }
        }
    }

    /**
     * CK_C_INITIALIZE_ARGS with CKF_OS_LOCKING_OK, as SunPKCS11 initializes: the library is called from many threads
     * (a NULL argument would tell it that it is not).
     */
    private static Pointer osLocking() {
        com.sun.jna.Memory args = new com.sun.jna.Memory(5L * Native.POINTER_SIZE + NativeLong.SIZE);
        args.clear();
        args.setNativeLong(4L * Native.POINTER_SIZE, new NativeLong(2)); // after the four mutex callbacks: flags
        return args;
    }

    private static void check(NativeLong rv, String call, Path library) {
        if (rv.longValue() != CKR_OK) {
            throw HallmarkException.unavailable(call + " failed in " + library + " (CKR 0x" + Long.toHexString(rv.longValue()) + ")", null);
        }
    }
}

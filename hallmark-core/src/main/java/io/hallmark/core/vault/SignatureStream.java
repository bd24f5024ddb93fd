package io.hallmark.core.vault;

import java.io.OutputStream;
import java.security.Signature;
import java.security.SignatureException;

/**
 * What a software key's signer is written to. Small writes (a DER encoder writes a TBSCertificate in dozens of a few
 * bytes each) are gathered and handed to the Signature in one update, since each update is a native call under
 * ACCP and one per write doubled the cost of a P-256 certificate signature. A large write (the 53 MB of entries of a
 * million-entry CRL) goes straight to the Signature, which hashes it as it comes, rather than being copied into a
 * buffer grown by doubling and copied again to sign.
 */
final class SignatureStream extends OutputStream {

    /** Writes at least this long skip the buffer. */
    static final int DIRECT = 8192;

    private final Signature signature;
    private final byte[] buf = new byte[DIRECT];
    private int len;

    SignatureStream(Signature signature) {
        this.signature = signature;
    }

    @Override
    public void write(int b) {
        if (len == buf.length) flushBuffer();
        buf[len++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int n) {
        java.util.Objects.checkFromIndexSize(off, n, b.length);
        if (n >= DIRECT) {
            flushBuffer();
            update(b, off, n);
            return;
        }
        if (len + n > buf.length) flushBuffer();
        System.arraycopy(b, off, buf, len, n);
        len += n;
    }

    /** Signs everything written. */
    byte[] sign() throws SignatureException {
        flushBuffer();
        return signature.sign();
    }

    private void flushBuffer() {
        if (len > 0) {
            update(buf, 0, len);
            len = 0;
        }
    }

    private void update(byte[] b, int off, int n) {
        try {
            signature.update(b, off, n);
        } catch (SignatureException e) {
            throw new IllegalStateException("the signature was not initialised for signing", e);
        }
    }
}

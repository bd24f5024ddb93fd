package io.hallmark.core.revoke;

import io.hallmark.core.store.CertificateAuthority;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.operator.bc.BcDigestCalculatorProvider;

import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/** Signs OCSP responses with a CA's delegated responder ({@link OcspSigners}), valid for the published OCSP validity. */
final class OcspResponseSigner {

    /** One CertID and its status, a SingleResponse. */
    record Answer(CertificateID id, CertificateStatus status) {
    }

    private final OcspSigners signers;
    private final PublicationSettings settings;
    private final Clock clock;
    private final LongAdder signatures = new LongAdder();

    OcspResponseSigner(OcspSigners signers, PublicationSettings settings, Clock clock) {
        this.signers = signers;
        this.settings = settings;
        this.clock = clock;
    }

    /** A successful OCSPResponse for these answers, the nonce echoed if there is one. */
    byte[] sign(CertificateAuthority ca, List<Answer> answers, Extension nonce) throws Exception {
        OcspSigners.Signer signer = signers.get(ca);
        Instant now = Instant.ofEpochSecond(clock.instant().getEpochSecond());
        Instant next = now.plus(settings.current().ocspValidityDuration());
        if (next.isAfter(signer.notAfter())) {
            next = signer.notAfter(); // a response must not outlive the certificate that vouches for it
        }
        // By key hash (RFC 6960 §4.2.2.3); digest calculators are stateful, so one per response.
        BasicOCSPRespBuilder builder = new BasicOCSPRespBuilder(new RespID(signer.certificate().getSubjectPublicKeyInfo(),
                new BcDigestCalculatorProvider().get(RespID.HASH_SHA1)));
        for (Answer a : answers) {
            builder.addResponse(a.id(), a.status(), Date.from(now), Date.from(next), null);
        }
        if (nonce != null) {
            builder.setResponseExtensions(new Extensions(nonce));
        }
        var basic = builder.build(signer.key().signer(), new X509CertificateHolder[]{signer.certificate()}, Date.from(now));
        signatures.increment();
        return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, basic).getEncoded();
    }

    long signatures() {
        return signatures.sum();
    }
}

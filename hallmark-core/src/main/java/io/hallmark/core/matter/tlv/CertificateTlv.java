package io.hallmark.core.matter.tlv;

import io.hallmark.core.error.HallmarkException;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The Matter TLV certificate (CHIPCert.h) to and from {@link MatterCertificate}: an anonymous structure with context
 * tags 1 (serial) to 11 (signature) in that order, names and extensions as lists, basicConstraints as a structure,
 * extendedKeyUsage as an array. Reading also takes the compact per-device-credential identity (a structure holding
 * only the public key and the signature, Matter Core Specification §11.24), whose other fields are fixed.
 */
final class CertificateTlv {

    static final int SERIAL = 1, SIG_ALGO = 2, ISSUER = 3, NOT_BEFORE = 4, NOT_AFTER = 5, SUBJECT = 6, PUB_KEY_ALGO = 7,
            CURVE = 8, PUB_KEY = 9, EXTENSIONS = 10, SIGNATURE = 11;
    /** The one value each algorithm field may take: ecdsa-with-SHA256, id-ecPublicKey, prime256v1. */
    static final int ECDSA_WITH_SHA256 = 1, EC_PUBLIC_KEY = 1, PRIME256V1 = 1;
    /** The certificate structure, its lists, and basicConstraints' structure or extendedKeyUsage's array: three levels. */
    static final TlvReader.Limits LIMITS = new TlvReader.Limits(3, MatterTlvCertificates.MAX_TLV_BYTES);

    private CertificateTlv() {
    }

    static byte[] write(MatterCertificate c) {
        List<TlvElement> m = new ArrayList<>();
        m.add(TlvElement.context(SERIAL, new TlvValue.Bytes(c.serial())));
        m.add(TlvElement.context(SIG_ALGO, new TlvValue.UnsignedInt(ECDSA_WITH_SHA256)));
        m.add(TlvElement.context(ISSUER, name(c.issuer())));
        m.add(TlvElement.context(NOT_BEFORE, new TlvValue.UnsignedInt(c.notBefore())));
        m.add(TlvElement.context(NOT_AFTER, new TlvValue.UnsignedInt(c.notAfter())));
        m.add(TlvElement.context(SUBJECT, name(c.subject())));
        m.add(TlvElement.context(PUB_KEY_ALGO, new TlvValue.UnsignedInt(EC_PUBLIC_KEY)));
        m.add(TlvElement.context(CURVE, new TlvValue.UnsignedInt(PRIME256V1)));
        m.add(TlvElement.context(PUB_KEY, new TlvValue.Bytes(c.publicKey())));
        m.add(TlvElement.context(EXTENSIONS, new TlvValue.Container(TlvValue.Container.Kind.LIST,
                c.extensions().stream().map(CertificateTlv::extension).toList())));
        m.add(TlvElement.context(SIGNATURE, new TlvValue.Bytes(c.signature())));
        return TlvWriter.write(TlvElement.anonymous(new TlvValue.Container(TlvValue.Container.Kind.STRUCTURE, m)));
    }

    private static TlvValue name(List<DnAttribute> attributes) {
        List<TlvElement> members = new ArrayList<>();
        for (DnAttribute a : attributes) {
            members.add(switch (a) {
                case DnAttribute.MatterId id -> TlvElement.context(id.type().tag(), new TlvValue.UnsignedInt(id.value()));
                case DnAttribute.Text t -> TlvElement.context(
                        t.type().tag() | (t.stringType() == DnAttribute.StringType.PRINTABLE ? DnAttributeType.PRINTABLE_FLAG : 0),
                        new TlvValue.Utf8(t.value()));
            });
        }
        return new TlvValue.Container(TlvValue.Container.Kind.LIST, members);
    }

    private static TlvElement extension(CertExtension e) {
        TlvValue value = switch (e) {
            case CertExtension.BasicConstraints bc -> {
                List<TlvElement> members = new ArrayList<>();
                members.add(TlvElement.context(1, new TlvValue.Bool(bc.ca())));
                if (bc.pathLen() != null) members.add(TlvElement.context(2, new TlvValue.UnsignedInt(bc.pathLen())));
                yield new TlvValue.Container(TlvValue.Container.Kind.STRUCTURE, members);
            }
            case CertExtension.KeyUsage ku -> new TlvValue.UnsignedInt(ku.bits());
            case CertExtension.ExtendedKeyUsage eku -> new TlvValue.Container(TlvValue.Container.Kind.ARRAY,
                    eku.purposes().stream().map(p -> TlvElement.anonymous(new TlvValue.UnsignedInt(p.id()))).toList());
            case CertExtension.SubjectKeyId ski -> new TlvValue.Bytes(ski.id());
            case CertExtension.AuthorityKeyId aki -> new TlvValue.Bytes(aki.id());
            case CertExtension.Future f -> new TlvValue.Bytes(f.der());
        };
        return TlvElement.context(e.tag(), value);
    }

    static MatterCertificate read(byte[] tlv) {
        TlvElement top = TlvReader.read(tlv, LIMITS);
        if (top.tag().form() != TlvTag.Form.ANONYMOUS || !(top.value() instanceof TlvValue.Container c)
                || c.kind() != TlvValue.Container.Kind.STRUCTURE) {
            throw bad("a certificate is an anonymous structure; this is " + describe(top));
        }
        Fields f = new Fields(c.members());
        if (f.peekIs(PUB_KEY)) {
            return CompactIdentity.certificate(f.bytes(PUB_KEY, "ec-pub-key"), f.signature());
        }
        byte[] serial = f.bytes(SERIAL, "serial-num");
        f.fixed(SIG_ALGO, "sig-algo", ECDSA_WITH_SHA256, "ecdsa-with-SHA256 (1) is the only signature algorithm");
        List<DnAttribute> issuer = readName(f.container(ISSUER, "issuer", TlvValue.Container.Kind.LIST), "issuer");
        long notBefore = f.uint(NOT_BEFORE, "not-before", 0xFFFFFFFFL);
        long notAfter = f.uint(NOT_AFTER, "not-after", 0xFFFFFFFFL);
        List<DnAttribute> subject = readName(f.container(SUBJECT, "subject", TlvValue.Container.Kind.LIST), "subject");
        f.fixed(PUB_KEY_ALGO, "pub-key-algo", EC_PUBLIC_KEY, "EC (1) is the only public key algorithm");
        f.fixed(CURVE, "ec-curve-id", PRIME256V1, "prime256v1 (1) is the only curve");
        byte[] key = f.bytes(PUB_KEY, "ec-pub-key");
        List<CertExtension> extensions = readExtensions(f.container(EXTENSIONS, "extensions", TlvValue.Container.Kind.LIST));
        byte[] signature = f.signature();
        return new MatterCertificate(serial, issuer, notBefore, notAfter, subject, key, extensions, signature);
    }

    private static List<DnAttribute> readName(List<TlvElement> members, String which) {
        List<DnAttribute> out = new ArrayList<>();
        for (TlvElement m : members) {
            if (m.tag().form() != TlvTag.Form.CONTEXT) throw bad(which + " attribute with a " + m.tag() + "; only context tags name attributes");
            int number = (int) m.tag().number();
            boolean printable = (number & DnAttributeType.PRINTABLE_FLAG) != 0;
            DnAttributeType type = DnAttributeType.byTag(number & ~DnAttributeType.PRINTABLE_FLAG)
                    .orElseThrow(() -> bad(which + " attribute tag " + number + " names no attribute type"));
            if (type.kind() == DnAttributeType.Kind.STRING) {
                if (!(m.value() instanceof TlvValue.Utf8 s)) throw bad(which + " " + type.label() + " is not a UTF-8 string");
                DnAttribute.StringType stringType = type == DnAttributeType.DOMAIN_COMPONENT && !printable ? DnAttribute.StringType.IA5
                        : printable ? DnAttribute.StringType.PRINTABLE : DnAttribute.StringType.UTF8;
                if (type == DnAttributeType.DOMAIN_COMPONENT && printable) {
                    throw bad(which + " " + type.label() + " carries the PrintableString flag; it is always an IA5String");
                }
                out.add(new DnAttribute.Text(type, s.value(), stringType));
            } else {
                if (printable) throw bad(which + " " + type.label() + " carries the PrintableString flag; Matter ids are UTF8String");
                if (!(m.value() instanceof TlvValue.UnsignedInt u)) throw bad(which + " " + type.label() + " is not an unsigned integer");
                out.add(new DnAttribute.MatterId(type, u.value()));
            }
        }
        return out;
    }

    private static List<CertExtension> readExtensions(List<TlvElement> members) {
        if (members.isEmpty()) throw bad("the extensions list is empty; X.509 requires at least one extension when the field is present");
        List<CertExtension> out = new ArrayList<>();
        for (TlvElement m : members) {
            if (m.tag().form() != TlvTag.Form.CONTEXT) throw bad("extension with a " + m.tag() + "; only context tags 1 to 6 name extensions");
            out.add(switch ((int) m.tag().number()) {
                case 1 -> basicConstraints(m.value());
                case 2 -> new CertExtension.KeyUsage((int) uint(m.value(), "key-usage", 0xFFFF));
                case 3 -> extendedKeyUsage(m.value());
                case 4 -> new CertExtension.SubjectKeyId(bytes(m.value(), "subject-key-id"));
                case 5 -> new CertExtension.AuthorityKeyId(bytes(m.value(), "authority-key-id"));
                case 6 -> CertificateDer.futureExtension(bytes(m.value(), "future-extension"));
                default -> throw bad("extension tag " + m.tag().number() + " is not one of the TLV form's (1 to 6)");
            });
        }
        return out;
    }

    private static CertExtension basicConstraints(TlvValue value) {
        if (!(value instanceof TlvValue.Container c) || c.kind() != TlvValue.Container.Kind.STRUCTURE) {
            throw bad("basic-constraints is not a structure");
        }
        Fields f = new Fields(c.members());
        if (!f.peekIs(1)) throw bad("basic-constraints lacks is-ca (tag 1)");
        TlvElement isCa = f.next();
        if (!(isCa.value() instanceof TlvValue.Bool ca)) throw bad("basic-constraints is-ca is not a boolean");
        Integer pathLen = null;
        if (f.peekIs(2)) pathLen = (int) f.uint(2, "basic-constraints path-len", 0xFF);
        f.end("basic-constraints");
        return new CertExtension.BasicConstraints(ca.value(), pathLen);
    }

    private static CertExtension extendedKeyUsage(TlvValue value) {
        if (!(value instanceof TlvValue.Container c) || c.kind() != TlvValue.Container.Kind.ARRAY) {
            throw bad("extended-key-usage is not an array");
        }
        List<KeyPurpose> purposes = new ArrayList<>();
        for (TlvElement m : c.members()) {
            long id = uint(m.value(), "extended-key-usage purpose", 0xFF);
            purposes.add(KeyPurpose.byId(id).orElseThrow(() -> bad("extended-key-usage purpose " + id + " is not one of the TLV form's (1 to 6)")));
        }
        return new CertExtension.ExtendedKeyUsage(purposes);
    }

    /** The members of a structure, taken in the order the certificate form fixes. */
    private static final class Fields {
        private final Iterator<TlvElement> it;
        private TlvElement peeked;

        Fields(List<TlvElement> members) {
            it = members.iterator();
            peeked = it.hasNext() ? it.next() : null;
        }

        boolean peekIs(int tag) {
            return peeked != null && peeked.tag().isContext(tag);
        }

        TlvElement next() {
            TlvElement e = peeked;
            peeked = it.hasNext() ? it.next() : null;
            return e;
        }

        TlvElement expect(int tag, String name) {
            if (peeked == null) throw bad(name + " (tag " + tag + ") is missing");
            if (!peekIs(tag)) throw bad("expected " + name + " (context tag " + tag + ") but found " + describe(peeked));
            return next();
        }

        byte[] bytes(int tag, String name) {
            return CertificateTlv.bytes(expect(tag, name).value(), name);
        }

        long uint(int tag, String name, long max) {
            return CertificateTlv.uint(expect(tag, name).value(), name, max);
        }

        void fixed(int tag, String name, long only, String why) {
            long v = uint(tag, name, 0xFF);
            if (v != only) throw bad(name + " is " + v + "; " + why);
        }

        List<TlvElement> container(int tag, String name, TlvValue.Container.Kind kind) {
            if (expect(tag, name).value() instanceof TlvValue.Container c && c.kind() == kind) return c.members();
            throw bad(name + " is not a " + kind.name().toLowerCase(java.util.Locale.ROOT));
        }

        byte[] signature() {
            byte[] signature = bytes(SIGNATURE, "signature");
            if (signature.length != 64) throw bad("signature is " + signature.length + " bytes; an ECDSA P-256 signature r||s is 64");
            end("the certificate");
            return signature;
        }

        void end(String what) {
            if (peeked != null) throw bad(what + " has an unexpected " + describe(peeked) + " after its last field");
        }
    }

    private static byte[] bytes(TlvValue v, String name) {
        if (v instanceof TlvValue.Bytes b) return b.value();
        throw bad(name + " is not a byte string");
    }

    private static long uint(TlvValue v, String name, long max) {
        if (!(v instanceof TlvValue.UnsignedInt u)) throw bad(name + " is not an unsigned integer");
        if (Long.compareUnsigned(u.value(), max) > 0) throw bad(name + " " + Long.toUnsignedString(u.value()) + " is larger than " + max);
        return u.value();
    }

    private static String describe(TlvElement e) {
        String type = switch (e.value()) {
            case TlvValue.Container c -> c.kind().name().toLowerCase(java.util.Locale.ROOT);
            default -> e.value().getClass().getSimpleName();
        };
        return type + " with " + e.tag();
    }

    static HallmarkException bad(String what) {
        return HallmarkException.badInput("Matter TLV certificate: " + what);
    }
}

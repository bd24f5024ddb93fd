-- OCSP responder keys follow their CA's vault: beside a CA on a PKCS#11 token the responder's key is made on the
-- token too and the row holds only its pkcs11: reference (sealed_key NULL). retired_key_ref names the token key
-- the current responder replaced; it is deleted from the token at the next rotation, a responder's life later,
-- when no node can still be signing with it.
ALTER TABLE ocsp_responders ALTER COLUMN sealed_key DROP NOT NULL;
ALTER TABLE ocsp_responders ADD COLUMN retired_key_ref VARCHAR(512);

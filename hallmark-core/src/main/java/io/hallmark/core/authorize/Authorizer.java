package io.hallmark.core.authorize;

import java.util.Optional;

/**
 * The one shape of every authorization in Hallmark: a front end (EST, the factory endpoint, the REST API,
 * the console; CMP, SCEP, BRSKI and ACME later) collects {@link Evidence} about the caller without judging
 * it; an authorizer reads the kinds it understands, checks them against the store on every request (a
 * revoked or expired credential is refused at once, on every node) and answers with a grant or a refusal.
 * Who may ask is decided here; what gets signed is the profile's business.
 *
 * <p>Kinds today: enrollment authorizers ({@code io.hallmark.core.enroll}: IDevID, LDevID re-enrollment,
 * one-time token) and the factory station authorizer ({@code io.hallmark.core.station}) grant issuance,
 * a {@link Grant} whose confirmation is spent in the recording transaction; the API principal authorizer
 * ({@code io.hallmark.core.access}) grants a principal with a role for REST calls.
 *
 * @param <Q> the question: what is asked for, with the evidence
 * @param <G> the grant
 */
@FunctionalInterface
public interface Authorizer<Q, G> {

    /**
     * @return empty if this authorizer does not apply (the request carries no evidence of its kind); a grant if
     *         it applies and allows
     * @throws io.hallmark.core.error.HallmarkException FORBIDDEN or UNAUTHENTICATED if it applies and refuses,
     *                                                  with a reason the caller can act on
     */
    Optional<G> authorize(Q question);
}

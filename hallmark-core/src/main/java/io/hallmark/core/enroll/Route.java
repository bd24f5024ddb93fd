package io.hallmark.core.enroll;

/**
 * What an enrollment is signed as: the issuing CA and the profile. Which route a request takes is the front
 * end's business (an EST label, a CMP recipient, an ACME directory); the profile alone decides the content.
 */
public record Route(String ca, String profile) {
}

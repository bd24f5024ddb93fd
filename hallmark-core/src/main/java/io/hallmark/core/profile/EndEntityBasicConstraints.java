package io.hallmark.core.profile;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * basicConstraints in an end-entity certificate: cA FALSE and no pathLenConstraint, which RFC 5280 §4.2.1.9
 * lets a CA include or leave out, critical or not. Matter's DAC and NOC require it present and critical.
 *
 * @param present whether the extension is in the certificate (an entry in a profile means yes unless it says otherwise)
 * @param critical whether it is marked critical
 */
public record EndEntityBasicConstraints(boolean present, boolean critical) {

    @JsonCreator
    public static EndEntityBasicConstraints of(@JsonProperty("present") Boolean present, @JsonProperty("critical") Boolean critical) {
        return new EndEntityBasicConstraints(present == null || present, critical != null && critical);
    }
}

package io.hallmark.device.mqtt;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agent's heartbeat: a small JSON object with the device id and a sequence number. The number is what
 * lets a subscriber (the device itself, when it subscribes to its own topic) count exactly which messages
 * arrived across reconnects and failovers.
 */
public record Telemetry(String device, long seq, Instant at) {

    private static final Pattern FORM = Pattern.compile("\\{\"device\":\"([^\"\\\\]{1,128})\",\"seq\":(\\d{1,18}),\"at\":\"[^\"]{1,40}\"}");

    public byte[] payload() {
        return ("{\"device\":\"" + device + "\",\"seq\":" + seq + ",\"at\":\"" + at + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    /** The sequence number, when the payload is a heartbeat of {@code device}; anything else is not ours to count. */
    public static OptionalLong seqOf(byte[] payload, String device) {
        if (payload.length > 512) return OptionalLong.empty();
        Matcher m = FORM.matcher(new String(payload, StandardCharsets.UTF_8));
        if (!m.matches() || !m.group(1).equals(device)) return OptionalLong.empty();
        return OptionalLong.of(Long.parseLong(m.group(2)));
    }
}

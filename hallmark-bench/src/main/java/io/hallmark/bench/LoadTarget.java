package io.hallmark.bench;

import io.hallmark.core.error.HallmarkException;

import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * One node under load: its HTTPS listener (EST, the factory API) and the listener OCSP goes to, by default
 * the same HTTPS one (it serves OCSP too) or the node's plain HTTP listener given with --ocsp-target.
 */
record LoadTarget(URI https, URI ocsp) {

    /** Pairs --target with --ocsp-target by position; every address must be on this machine (loopback). */
    static List<LoadTarget> of(List<URI> targets, List<URI> ocspTargets) throws NotLoopback {
        if (targets.isEmpty()) throw HallmarkException.badInput("--target is required");
        if (!ocspTargets.isEmpty() && ocspTargets.size() != targets.size()) {
            throw HallmarkException.badInput("--ocsp-target must be given once for each --target (" + targets.size() + "), in the same order, or not at all");
        }
        List<LoadTarget> out = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            URI https = checked(targets.get(i), "https", "--target");
            URI ocsp = ocspTargets.isEmpty() ? https : checked(ocspTargets.get(i), null, "--ocsp-target");
            out.add(new LoadTarget(https, ocsp));
        }
        return out;
    }

    private static URI checked(URI uri, String scheme, String option) throws NotLoopback {
        if (uri.getScheme() == null || uri.getHost() == null || !(scheme == null ? uri.getScheme().matches("https?") : uri.getScheme().equals(scheme))) {
            throw HallmarkException.badInput(option + " must be " + (scheme == null ? "an http:// or https://" : "an " + scheme + "://")
                    + " URL with a host, not '" + uri + "'");
        }
        if (!loopback(uri.getHost())) {
            throw new NotLoopback(option + " " + uri + " is not on this machine: bench load drives loopback addresses only "
                    + "(127.0.0.0/8, ::1, localhost)");
        }
        return URI.create(uri.toString().replaceAll("/+$", ""));
    }

    /** A loopback literal or "localhost"; a name is not resolved, so that no lookup can send the load elsewhere. */
    static boolean loopback(String host) {
        if (host.equalsIgnoreCase("localhost")) return true;
        String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        // Only literals go to getByName, which then parses them without a lookup.
        if (!literal.matches("\\d{1,3}(\\.\\d{1,3}){3}") && !literal.matches("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")) return false;
        try {
            return InetAddress.getByName(literal).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /** A target off this machine: a usage error, refused before anything is sent. */
    static final class NotLoopback extends Exception {
        NotLoopback(String message) {
            super(message, null, false, false);
        }
    }
}

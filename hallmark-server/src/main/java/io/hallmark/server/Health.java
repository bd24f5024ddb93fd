package io.hallmark.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hallmark.core.Hallmark;
import io.hallmark.core.node.NodeLease;
import io.hallmark.server.http.Exchange;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /healthz}: {@code 200 ok} as ever (load balancers and scripts compare the body), with this node's name and
 * whether it holds the jobs lease in headers, and as JSON for a client that asks for it ({@code Accept:
 * application/json}). Read from memory: a probe costs no query.
 */
final class Health {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Health() {
    }

    static void answer(Hallmark hallmark, Exchange x) {
        NodeLease lease = hallmark.lease().orElse(null);
        if (lease != null) {
            x.header("Hallmark-Node", lease.nodeId());
            x.header("Hallmark-Lease", lease.held() ? "held" : "standby");
        }
        String accept = x.header("Accept");
        if (accept == null || !accept.contains("application/json")) {
            x.text(200, "ok");
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "ok");
        if (lease != null) {
            body.put("node", lease.nodeId());
            Map<String, Object> jobs = new LinkedHashMap<>();
            jobs.put("name", lease.name());
            jobs.put("held", lease.held());
            jobs.put("holder", lease.holder().orElse(null));
            body.put("lease", jobs);
        }
        try {
            x.send(200, "application/json", JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

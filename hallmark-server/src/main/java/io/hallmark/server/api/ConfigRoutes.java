package io.hallmark.server.api;

import io.hallmark.core.Hallmark;
import io.hallmark.core.crypto.Pem;
import io.hallmark.core.enroll.EnrollmentLabel;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.principal.Principal;
import io.hallmark.core.principal.Role.Permission;
import io.hallmark.core.publication.Publication;
import io.hallmark.server.est.EstLabels;
import io.hallmark.server.http.Router;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.hallmark.server.api.ApiEndpoints.BASE;
import static io.hallmark.server.api.ApiEndpoints.json;
import static io.hallmark.server.api.ApiEndpoints.jsonBody;

/**
 * Shared configuration: EST labels ('hallmark est label set/list/delete') and publication ('hallmark publication').
 * Reading is for every reader; changing is admin only, since both decide what every node issues.
 */
final class ConfigRoutes {

    private final Hallmark hallmark;
    private final ApiAuth auth;
    private final EstLabels labels;

    ConfigRoutes(Hallmark hallmark, ApiAuth auth) {
        this.hallmark = hallmark;
        this.auth = auth;
        this.labels = new EstLabels(hallmark.store(), hallmark.sharedConfig());
    }

    void register(Router router) {
        router.add("GET", BASE + "/est/labels", x -> {
            auth.require(x, Permission.READ);
            json(x, 200, labels.configured());
        });
        // The label's name is in the body: the default label's name is '', which no path segment can carry.
        router.add("POST", BASE + "/est/labels", x -> {
            Principal who = auth.require(x, Permission.ADMINISTER);
            LabelRequest r = jsonBody(x, LabelRequest.class);
            EnrollmentLabel label = checked(r);
            labels.put(label, who.actor(), hallmark.clock().instant());
            json(x, 200, label);
        });
        // The name is a query parameter, for the same reason: ?name= removes the default label.
        router.add("DELETE", BASE + "/est/labels", x -> {
            Principal who = auth.require(x, Permission.ADMINISTER);
            String name = ApiEndpoints.query(x, "name");
            if (name == null) throw HallmarkException.badInput("'name' is required as a query parameter (?name= for the default label)");
            json(x, 200, labels.remove(name, who.actor(), hallmark.clock().instant()));
        });
        router.add("GET", BASE + "/publication", x -> {
            auth.require(x, Permission.READ);
            json(x, 200, view(hallmark.publication().current()));
        });
        // Fields left out keep their value; partitions can grow, never shrink (the setting refuses it).
        router.add("PUT", BASE + "/publication", x -> {
            Principal who = auth.require(x, Permission.ADMINISTER);
            PublicationRequest r = jsonBody(x, PublicationRequest.class);
            Publication p = hallmark.publication().set(hallmark.publication().current().changed(r.baseUrl(), r.partitions(), r.crlValidity(),
                    r.deltaValidity(), r.crlRefresh(), r.ocspValidity(), r.allowLoopbackUrls(), r.cacheWindow()), who.actor());
            json(x, 200, view(p));
        });
    }

    /** The label a request describes, with the checks 'hallmark est label set' makes. */
    private EnrollmentLabel checked(LabelRequest r) {
        if (r.name() == null || r.ca() == null || r.profile() == null) {
            throw HallmarkException.badInput("'name' ('' for the default label), 'ca' and 'profile' are required");
        }
        List<String> issuers = r.idevidIssuers() == null || r.idevidIssuers().isEmpty() ? List.of("idevid-ca") : r.idevidIssuers();
        // One anchor per certificate, as the CLI stores a file holding several.
        List<String> anchors = new ArrayList<>();
        for (String text : r.trustAnchors() == null ? List.<String>of() : r.trustAnchors()) {
            List<byte[]> certs = Pem.blocks(text.getBytes(StandardCharsets.US_ASCII), "CERTIFICATE");
            if (certs.isEmpty()) throw HallmarkException.badInput("a trust anchor holds no PEM certificate");
            certs.forEach(der -> anchors.add(Pem.certificate(der)));
        }
        return EstLabels.checked(hallmark.cas(), new EnrollmentLabel(r.name(), r.ca(), r.profile(), issuers, anchors, Boolean.TRUE.equals(r.allowBootstrap()),
                r.acceptImported() == null ? List.of() : r.acceptImported()));
    }

    private static Map<String, Object> view(Publication p) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("baseUrl", p.baseUrl());
        v.put("loopback", p.loopback());
        v.put("allowLoopbackUrls", Boolean.TRUE.equals(p.allowLoopbackUrls()));
        v.put("partitions", p.partitions());
        v.put("crlValidity", p.crlValidity());
        v.put("deltaValidity", p.deltaValidity());
        v.put("crlRefresh", p.crlRefresh());
        v.put("ocspValidity", p.ocspValidity());
        v.put("cacheWindow", p.cacheWindowOrDefault());
        return v;
    }

    record LabelRequest(String name, String ca, String profile, List<String> idevidIssuers, List<String> trustAnchors, Boolean allowBootstrap,
                        List<String> acceptImported) {
    }

    record PublicationRequest(String baseUrl, Map<String, Integer> partitions, String crlValidity, String deltaValidity, String crlRefresh,
                              String ocspValidity, Boolean allowLoopbackUrls, String cacheWindow) {
    }
}

package io.hallmark.store.nodes;

import io.hallmark.core.Hallmark;
import io.hallmark.core.audit.AuditEntry;
import io.hallmark.core.crypto.Csrs;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.factory.BatchItem;
import io.hallmark.core.factory.FactoryBatch;
import io.hallmark.core.factory.FactoryItem;
import org.bouncycastle.asn1.x500.X500Name;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Factory batches are named in the audit log ({@code factory.issue BATCH/CHUNK}); names must not collide across nodes. */
class FactoryBatchIdsTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @MethodSource("io.hallmark.store.nodes.TwoNodes#kinds")
    void factoryBatchesOnTwoNodesGetDifferentIds(String kind) {
        // The same millisecond on both nodes, and each node's first batch: what a per-process counter cannot tell apart.
        try (TwoNodes nodes = TwoNodes.of(kind, dir, new TwoNodes.MovableClock())) {
            Hallmark b = nodes.sameKeys();
            runOneDevice(nodes.a, "BATCH-A-1");
            runOneDevice(b, "BATCH-B-1");

            List<String> batches = new ArrayList<>();
            nodes.a.store().read(tx -> {
                tx.audit().scan((AuditEntry e) -> {
                    if (e.action().equals("factory.issue")) batches.add(e.subject().substring(0, e.subject().lastIndexOf('/')));
                });
                return null;
            });
            assertEquals(2, batches.size(), batches::toString);
            assertEquals(2, batches.stream().distinct().count(), "two batches, two ids: " + batches);
        }
    }

    private static void runOneDevice(Hallmark node, String serial) {
        byte[] csr = Csrs.create(KeyAlgorithm.EC_P256.generate(), KeyAlgorithm.EC_P256, new X500Name("CN=sensor"));
        List<BatchItem> items = new ArrayList<>(List.of(BatchItem.of(new FactoryItem(serial, Base64.getEncoder().encodeToString(csr), null, null, null))));
        node.factory().run(FactoryBatch.of("idevid-ca", "idevid", io.hallmark.core.authorize.Grant.operator(TwoNodes.ACTOR)).withChunkSize(1).withWorkers(1),
                () -> items.isEmpty() ? null : items.removeFirst(), outcome -> { });
    }
}

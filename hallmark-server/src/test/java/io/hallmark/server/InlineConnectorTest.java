package io.hallmark.server;

import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each connection of the plain listener is opened, served and closed by one thread, the selector's: no pool hand-off. */
class InlineConnectorTest {

    @Test
    void aConnectionIsOpenedServedAndClosedOnTheSameThread() throws Exception {
        int connections = 20;
        Map<Connection, Thread> opened = new ConcurrentHashMap<>();
        Map<Connection, Thread> closed = new ConcurrentHashMap<>();
        Map<Connection, Thread> served = new ConcurrentHashMap<>();
        CountDownLatch allClosed = new CountDownLatch(connections);
        Server server = new Server(new QueuedThreadPool());
        InlineConnector connector = new InlineConnector(server, new HttpConnectionFactory(PlainListener.configuration()));
        connector.setHost("127.0.0.1");
        connector.addEventListener(new Connection.Listener() {
            @Override
            public void onOpened(Connection connection) {
                opened.put(connection, Thread.currentThread());
            }

            @Override
            public void onClosed(Connection connection) {
                closed.put(connection, Thread.currentThread());
                allClosed.countDown();
            }
        });
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                served.put(request.getConnectionMetaData().getConnection(), Thread.currentThread());
                response.write(true, ByteBuffer.wrap("ok".getBytes(StandardCharsets.US_ASCII)), callback);
                return true;
            }
        });
        server.start();
        try {
            for (int i = 0; i < connections; i++) {
                try (Socket s = new Socket("127.0.0.1", connector.getLocalPort())) {
                    s.setSoTimeout(5000);
                    OutputStream out = s.getOutputStream();
                    out.write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    InputStream in = s.getInputStream();
                    String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
                    assertTrue(answer.startsWith("HTTP/1.1 200") && answer.endsWith("ok"), answer);
                }
            }
            assertTrue(allClosed.await(10, TimeUnit.SECONDS), "connections closed: " + closed.size());
            assertEquals(connections, served.size());
            for (Connection c : served.keySet()) {
                assertEquals(served.get(c), opened.get(c), "opened on another thread than the one that served it");
                assertEquals(served.get(c), closed.get(c), "closed on another thread than the one that served it");
            }
        } finally {
            server.stop();
        }
    }
}

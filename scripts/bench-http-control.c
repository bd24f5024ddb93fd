// The control of the OCSP HTTP benchmark: about the cheapest HTTP/1.x server one thread can be (epoll,
// non-blocking, no parsing). It answers every request with the same BODY_BYTES-byte body and keeps the
// connection when the request says keep-alive, so `ab` against it measures what the machine's TCP stack and
// the load client allow, whatever the server does. Requests are assumed to arrive in one read (ab's do).
// Build and run: cc -O2 -o control scripts/bench-http-control.c && ./control PORT BODY_BYTES
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc != 3) { fprintf(stderr, "usage: %s PORT BODY_BYTES\n", argv[0]); return 2; }
  int port = atoi(argv[1]), body = atoi(argv[2]), one = 1;
  static char out[2][65536], in[65536];
  int len[2];
  for (int keep = 0; keep < 2; keep++) {  // the whole response, closing and keep-alive
    len[keep] = snprintf(out[keep], 4096, "HTTP/1.1 200 OK\r\nContent-Type: application/ocsp-response\r\n"
        "Content-Length: %d\r\nConnection: %s\r\n\r\n", body, keep ? "keep-alive" : "close");
    memset(out[keep] + len[keep], 'x', body);
    len[keep] += body;
  }
  int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  if (bind(listener, (struct sockaddr *)&addr, sizeof addr) || listen(listener, 1024)) { perror("listen"); return 1; }
  int ep = epoll_create1(0);
  struct epoll_event ev = {.events = EPOLLIN, .data.fd = listener}, events[64];
  epoll_ctl(ep, EPOLL_CTL_ADD, listener, &ev);
  for (;;) {
    int n = epoll_wait(ep, events, 64, -1);
    for (int i = 0; i < n; i++) {
      int fd = events[i].data.fd;
      if (fd == listener) {
        for (int c; (c = accept4(listener, NULL, NULL, SOCK_NONBLOCK)) >= 0;) {
          struct epoll_event e = {.events = EPOLLIN, .data.fd = c};
          epoll_ctl(ep, EPOLL_CTL_ADD, c, &e);
        }
        continue;
      }
      ssize_t r = read(fd, in, sizeof in - 1);
      if (r <= 0) { close(fd); continue; }
      in[r] = 0;
      int keep = strcasestr(in, "keep-alive") != NULL;
      if (write(fd, out[keep], len[keep]) < 0 || !keep) close(fd);
    }
  }
}

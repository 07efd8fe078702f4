#!/usr/bin/python3
"""A customer-service module written against the documented protocol only, with Debian's
python3-zmq: binds a ROUTER with CURVE (pyzmq's own ZAP authenticator lets only fulfild's
key in), stores and acks slips (deduping on slip_id), and follows fulfild's status feed.

  slip_client.py ROUTER_BIND SERVER_KEY FULFILD_PUB FEED_ENDPOINT CLIENT_KEY EXPECTED_SLIPS STOP_FILE
Prints "ready" once bound, then one JSON line {"slips": [...], "repeats": n, "feed": [...]}
once it has them all, and goes on acking until STOP_FILE exists: a module that left at once
could take acks still on their way with it (the slips would then wait for its return).
"""
import json
import os
import sys
import time

import zmq
import zmq.auth
from zmq.auth.thread import ThreadAuthenticator


def main():
    bind, server_key, fulfild_pub, feed, client_key, expected, stop_file = sys.argv[1:8]
    expected = int(expected)
    ctx = zmq.Context()
    auth = ThreadAuthenticator(ctx)
    auth.start()
    auth.configure_curve(domain="*", location=fulfild_pub)
    server_public, server_secret = zmq.auth.load_certificate(server_key)
    router = ctx.socket(zmq.ROUTER)
    router.curve_publickey = server_public
    router.curve_secretkey = server_secret
    router.curve_server = True
    router.bind(bind)

    client_public, client_secret = zmq.auth.load_certificate(client_key)
    fulfild_public, _ = zmq.auth.load_certificate(fulfild_pub + "/fulfild.pub")
    sub = ctx.socket(zmq.SUB)
    sub.curve_publickey = client_public
    sub.curve_secretkey = client_secret
    sub.curve_serverkey = fulfild_public
    sub.setsockopt(zmq.SUBSCRIBE, b"")
    sub.connect(feed)
    print("ready", flush=True)

    seen, order, repeats, topics = {}, [], 0, []
    poller = zmq.Poller()
    poller.register(router, zmq.POLLIN)
    poller.register(sub, zmq.POLLIN)
    deadline = time.time() + 60
    while time.time() < deadline and (len(order) < expected or len(topics) < expected):
        if "-v" in sys.argv:
            print(len(order), len(topics), file=sys.stderr, flush=True)
        for sock, _ in poller.poll(200):
            if sock is router:
                frames = router.recv_multipart()
                if len(frames) != 4 or frames[1] != b"SLIP":
                    continue
                ident, _, slip_id, body = frames
                slip = json.loads(body)
                assert slip["slip_id"] == slip_id.decode()
                assert slip["schema"] == "fulfild.slip/1"
                if slip_id in seen:
                    repeats += 1
                else:
                    seen[slip_id] = body
                    order.append(slip_id.decode())
                router.send_multipart([ident, b"ACK", slip_id])
            else:
                topic, body = sub.recv_multipart()
                json.loads(body)
                topics.append(topic.decode())
    print(json.dumps({"slips": order, "repeats": repeats, "feed": topics}), flush=True)
    while time.time() < deadline and not os.path.exists(stop_file):
        for sock, _ in poller.poll(100):
            frames = sock.recv_multipart()
            if sock is router and len(frames) == 4 and frames[1] == b"SLIP":
                router.send_multipart([frames[0], b"ACK", frames[2]])
    auth.stop()
    router.close(linger=2000)  # the last acks still queued go out before the socket closes
    sub.close(0)
    ctx.term()


if __name__ == "__main__":
    main()

from gateway_service.routing.headers import downstream_response_headers, is_identity_header, upstream_request_headers


def test_identity_headers_are_recognised() -> None:
    for name in ("x-org-id", "x-forwarded-user", "forwarded", "x-forwarded-for", "x-principal", "remote-user"):
        assert is_identity_header(name)
    for name in ("authorization", "content-type", "idempotency-key", "accept"):
        assert not is_identity_header(name)


def test_upstream_headers_drop_identity_and_hop_by_hop_and_set_request_context() -> None:
    incoming = [
        (b"Host", b"gateway"),
        (b"Connection", b"keep-alive"),
        (b"X-Org-Id", b"1"),
        (b"X-Request-ID", b"spoofed"),
        (b"X-Forwarded-Prefix", b"/spoofed"),
        (b"Authorization", b"Bearer t"),
        (b"Idempotency-Key", b"k"),
    ]
    out = dict(upstream_request_headers(incoming, "rid", "00-aa-bb-01", "/api/enrolment"))
    assert out == {
        b"Authorization": b"Bearer t",
        b"Idempotency-Key": b"k",
        b"x-request-id": b"rid",
        b"traceparent": b"00-aa-bb-01",
        b"x-forwarded-prefix": b"/api/enrolment",
    }


def test_response_headers_keep_repeated_values_and_drop_the_gateways_own() -> None:
    upstream = [
        (b"set-cookie", b"a=1"),
        (b"set-cookie", b"b=2"),
        (b"x-request-id", b"x"),
        (b"transfer-encoding", b"chunked"),
    ]
    assert downstream_response_headers(upstream) == [(b"set-cookie", b"a=1"), (b"set-cookie", b"b=2")]

from resonant_events._sse import Frame, FrameParser, LineSplitter


def frames_of(*chunks: bytes) -> tuple[list[Frame], FrameParser]:
    splitter, parser = LineSplitter(), FrameParser()
    frames = []
    for chunk in chunks:
        for line in splitter.feed(chunk):
            frame = parser.feed(line)
            if frame:
                frames.append(frame)
    return frames, parser


def test_reads_event_id_and_data_of_each_frame():
    frames, parser = frames_of(b'retry:2000\n\nevent:session.completed\nid:AQ1\ndata:{"a":1}\n\n:heartbeat\n\n')
    assert frames == [Frame(event="session.completed", data='{"a":1}', id="AQ1")]
    assert parser.retry_ms == 2000
    assert parser.last_event_id == "AQ1"


def test_lines_split_across_chunks_and_crlf_split_between_chunks():
    frames, _ = frames_of(b"id: x", b"1\r", b"\ndata: he", b"llo\r\n\r", b"\n")
    assert frames == [Frame(event="message", data="hello", id="x1")]


def test_cr_alone_ends_a_line():
    frames, _ = frames_of(b"data:a\rdata:b\r\rdata:c\n\n")
    assert frames == [Frame(event="message", data="a\nb", id=None), Frame(event="message", data="c", id=None)]


def test_only_cr_lf_and_crlf_end_lines_not_u2028_inside_json():
    text = '{"goal":"a\u2028b\u0085c"}'
    frames, _ = frames_of(f"data:{text}\n\n".encode())
    assert frames[0].data == text


def test_multibyte_character_split_between_chunks():
    encoded = "data:é\n\n".encode()
    frames, _ = frames_of(encoded[:6], encoded[6:])
    assert frames[0].data == "é"


def test_last_event_id_moves_only_when_a_frame_is_complete():
    splitter, parser = LineSplitter(), FrameParser()
    for line in splitter.feed(b"id:1\ndata:x\n\nid:2\ndata:y\n"):
        parser.feed(line)
    # The connection drops inside the second frame: resuming must start after frame 1, not 2.
    assert parser.last_event_id == "1"
    parser.reset()
    assert parser.feed("") is None
    assert parser.last_event_id == "1"


def test_a_frame_with_an_id_and_no_data_moves_the_cursor_without_an_event():
    frames, parser = frames_of(b"id:pos0\n\n")
    assert frames == []
    assert parser.last_event_id == "pos0"


def test_ignores_a_bom_unknown_fields_and_a_bad_retry():
    frames, parser = frames_of("\ufeffdata:x\nfoo:bar\nretry:soon\n\n".encode())
    assert frames == [Frame(event="message", data="x", id=None)]
    assert parser.retry_ms is None

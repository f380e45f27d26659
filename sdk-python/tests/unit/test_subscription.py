from resonant_events.subscription import _RecentIds


def test_remembers_ids_and_forgets_the_oldest_past_its_size():
    recent = _RecentIds(size=3)
    assert [recent.add(i) for i in ("a", "b", "a", "c")] == [True, True, False, True]
    assert recent.add("d")  # "a" is forgotten
    assert recent.add("a")
    assert not recent.add("d")

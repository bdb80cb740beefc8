"""The interface language is chosen per script run: one session's choice never reaches another's."""

from __future__ import annotations

import threading

from dashboard import i18n


def test_a_locale_chosen_in_one_thread_does_not_change_another() -> None:
    chosen = threading.Event()
    looked = threading.Event()
    seen: dict[str, str] = {}

    def english_user() -> None:
        i18n.set_locale("en")
        chosen.set()
        looked.wait(5)
        seen["en"] = i18n.current_locale()

    def chinese_user() -> None:
        chosen.wait(5)
        seen["zh"] = i18n.current_locale()
        looked.set()

    threads = [threading.Thread(target=english_user), threading.Thread(target=chinese_user)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert seen == {"en": "en", "zh": i18n.DEFAULT_LOCALE}


def test_an_unknown_locale_falls_back_to_chinese() -> None:
    def run() -> None:
        i18n.set_locale("xx")
        seen.append(i18n.current_locale())

    seen: list[str] = []
    thread = threading.Thread(target=run)
    thread.start()
    thread.join(5)
    assert seen == [i18n.DEFAULT_LOCALE]

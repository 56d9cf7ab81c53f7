"""Spanish in Slack, through the real Lambda handler: `/punch` takes Spanish keywords, slash-command
replies, the Home tab, reminders' and approvals' words in each person's language; what a worker
typed is never translated.

The clock starts on Monday 16 Nov 2026, 07:58 in New York.
"""

from __future__ import annotations

from dataclasses import replace

from tests.integration.slack.fake_slack import view_text


def _spanish(store, worker_id: str) -> None:  # type: ignore[no-untyped-def]
    worker = store.get_worker(worker_id, fresh=True)
    store.update_worker(replace(worker, language="es"), worker.version)


def test_a_spanish_speakers_day_in_slack(slack, ana, clock, store, fake_slack):  # type: ignore[no-untyped-def]
    # Given Ana, who never chose a language, types a Spanish keyword to /punch
    answer = slack.command("/punch", "entrada obra-norte", timestamp=slack.later(0))
    # Then she is clocked in, answered in Spanish, and told how to switch back
    assert answer.text == (
        "Entrada 07:58 en obra-norte. /break /clockout /expense 12.50 gasolina /punch ayuda "
        "For English: /punch language en"
    )
    assert store.get_worker("w-ana", fresh=True).language == "es"
    assert "*En turno* desde 07:58 (obra-norte)" in view_text(fake_slack.homes_of("U0ANA")[-1])
    clock.advance(hours=4)
    assert slack.command("/break", "comida", timestamp=slack.later(1)).text == (
        "Comida desde 11:58. En turno 4h 00m. /back"
    )
    clock.advance(minutes=30)
    assert slack.command("/punch", "regreso", timestamp=slack.later(2)).text == (
        "Descanso 30m. En turno 4h 30m. /break /clockout"
    )
    assert slack.command("/expense", "12.50 gasolina", timestamp=slack.later(3)).text == (
        "Gasto 12.50 USD gasolina del 2026-11-16 guardado. Enviado a tu jefe para aprobar."
    )
    clock.advance(hours=4)
    assert slack.command("/clockout", timestamp=slack.later(4)).text == (
        "Salida 16:28. Turno de 8h 30m desde 07:58. /timesheet"
    )
    assert slack.command("/punch", "horas", timestamp=slack.later(0)).text == (
        "Esta semana: 8h 00m trabajadas, 8h 00m en tarea, extra 0m, 1 dia(s)."
    )
    assert slack.command("/punch", "ayuda", timestamp=slack.later(1)).text.startswith(
        "/clockin [obra], /clockout, /break [comida|descanso], /back"
    )
    home = view_text(fake_slack.homes_of("U0ANA")[-1])
    assert "*Fuera de turno*, ultima salida 16:28" in home and "*Hoy*" in home


def test_idioma_switches_and_back(slack, ana, store):  # type: ignore[no-untyped-def]
    assert slack.command("/punch", "idioma es", timestamp=slack.later(0)).text == (
        "Listo: te escribimos en español. For English: /punch language en"
    )
    assert slack.command("/status", timestamp=slack.later(1)).text == "Fuera de turno. /clockin /timesheet"
    assert slack.command("/punch", "language en", timestamp=slack.later(2)).text == (
        "OK: we will write to you in English. Para español: /punch idioma es"
    )
    assert slack.command("/status", timestamp=slack.later(3)).text == "Clocked out. /clockin /timesheet"
    assert slack.command("/punch", "idioma klingon", timestamp=slack.later(4)).text == (
        "Use /punch language en or /punch language es."
    )


def test_a_spanish_manager_gets_the_approval_dm_in_spanish(slack, ana, manager, clock, fake_slack, store):  # type: ignore[no-untyped-def]
    # Given Mia, the manager, reads Spanish; Ana reads English
    _spanish(store, "w-mia")
    slack.command("/clockin", timestamp=slack.later(0))
    clock.advance(hours=9, minutes=47)
    fake_slack.reset()
    # When Ana corrects her clock-out with a reason in her own words
    slack.command("/clockout", "17:30 forgot", timestamp=slack.later(1))
    # Then Mia's DM is in Spanish, with Ana's reason as she typed it
    [dm] = fake_slack.dms_to("U0MIA")
    assert dm["text"] == "#1 Ana Lopez: salida 17:45->17:30 lun 16 nov, forgot. Aprueba o rechaza en Slack."
    assert "`/punch aprobar 1`" in view_text(dm) and "_(hace 0m)_" in view_text(dm)
    assert [button["text"]["text"] for button in dm["blocks"][-1]["elements"]] == ["Aprobar", "Rechazar"]
    # When she approves by typing in Spanish, the answer is Spanish and Ana is told in English
    assert slack.command("/punch", "aprobar 1", user="U0MIA", timestamp=slack.later(2)).text == (
        "Aprobado #1 Ana Lopez: salida 17:45-&gt;17:30 lun 16 nov."  # escaped for mrkdwn
    )
    assert fake_slack.dms_to("U0ANA")[-1]["text"] == "Your clock-out 17:30 on Mon 16 Nov was approved by Mia Boss."


def test_the_expense_form_and_the_report_speak_the_persons_language(slack, ana, manager, store, fake_slack):  # type: ignore[no-untyped-def]
    _spanish(store, "w-ana")
    _spanish(store, "w-mia")
    # When Ana opens the expense form, Then its words are Spanish
    slack.command("/expense", "", timestamp=slack.later(0))
    [opened] = fake_slack.made("views.open")
    view = opened.args["view"]
    assert view["title"]["text"] == "Anotar un gasto" and view["submit"]["text"] == "Guardar"
    assert [block["label"]["text"] for block in view["blocks"]][:3] == ["Monto", "Moneda", "Categoria"]
    # When Mia asks for the day's report, Then it is in Spanish
    answer = slack.command("/report", "", user="U0MIA", timestamp=slack.later(1))
    assert answer.text.startswith("Informe lun 16 nov 2026: 0 trabajaron")


def test_a_spanish_managers_home_board_and_waiting_items_are_in_spanish(slack, ana, manager, clock, fake_slack, store):  # type: ignore[no-untyped-def]
    _spanish(store, "w-mia")
    slack.command("/clockin", "obra", timestamp=slack.later(0))
    clock.advance(hours=9, minutes=47)
    slack.command("/clockout", "17:30 forgot", timestamp=slack.later(1))
    slack.home_opened(user="U0MIA", event_id="Ev0MIAES")
    text = view_text(fake_slack.homes_of("U0MIA")[-1])
    assert "*Te esperan (1)*" in text and "salida 17:45->17:30 lun 16 nov, forgot" in text
    assert "*Fuera de turno (" in text or "*En turno (" in text
    assert "Waiting for you" not in text and "On shift" not in text

"""A Spanish-speaking worker's day by text, on Twilio and on AWS SMS: Spanish keywords in any
language setting, replies in the worker's language (plain GSM-7, one segment), the automatic
switch on a first Spanish keyword and the way back, Spanish opt-out words, a Spanish manager.

The clock starts on Monday 16 Nov 2026, 07:58 in New York.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from core.domain.model import Worker
from tests.integration.sms.helpers import AwsPhone, TwilioPhone


def _speaks(store, worker_id: str) -> str | None:  # type: ignore[no-untyped-def]
    return store.get_worker(worker_id, fresh=True).language


def test_a_spanish_speakers_day_by_twilio_text(ana_phone, clock, store):  # type: ignore[no-untyped-def]
    # Given Ana, who never chose a language, texts her first Spanish keyword
    assert ana_phone.text("ENTRADA") == (
        "Entrada 07:58. Envia DESCANSO, SALIDA, GASTO 12.50 gasolina, AYUDA. For English, text ENGLISH."
    )
    # Then she reads Spanish from now on, and that first reply said how to switch back
    assert _speaks(store, "w-ana") == "es"
    clock.advance(hours=4)
    assert ana_phone.text("descanso") == "Descanso desde 11:58. En turno 4h 00m. Envia REGRESO."
    clock.advance(minutes=15)
    assert ana_phone.text("Regresó!") == "Descanso 15m. En turno 4h 15m. Envia DESCANSO, SALIDA."
    clock.advance(minutes=1)
    assert ana_phone.text("GASTO 12.50 gasolina") == (
        "Gasto 12.50 USD gasolina del 2026-11-16 guardado. Enviado a tu jefe para aprobar."
    )
    assert ana_phone.text("almuerzo") == "Comida desde 12:14. En turno 4h 16m. Envia REGRESO."
    clock.advance(minutes=31)
    assert ana_phone.text("volví") == "Descanso 31m. En turno 4h 47m. Envia DESCANSO, SALIDA."
    clock.advance(hours=3)
    assert ana_phone.text("SALIDA") == "Salida 15:45. Turno de 7h 47m desde 07:58. Envia HORAS."
    assert ana_phone.text("horas") == "Esta semana: 7h 16m trabajadas, 7h 01m en tarea, extra 0m, 1 dia(s)."
    assert ana_phone.text("HORAS SEMANA PASADA").startswith("Semana pasada: 0m trabajadas")
    assert ana_phone.text("estado") == (
        "Fuera de turno. Ultima salida 15:45. Esperan a tu jefe: 1. Envia ENTRADA, HORAS."
    )
    # English keywords keep working for her, answered in Spanish
    assert ana_phone.text("status").startswith("Fuera de turno.")


def test_help_in_spanish_names_the_contact_and_the_opt_out_word(ana_phone):  # type: ignore[no-untyped-def]
    help_text = ana_phone.text("AYUDA")
    assert help_text.startswith("Punchclock: ENTRADA <obra>, SALIDA, DESCANSO, COMIDA, REGRESO, ESTADO, HORAS")
    assert "ALTO: no mas textos." in help_text and help_text.endswith("Tu jefe: boss@acme.test")
    assert len(help_text) <= 2 * 153 and help_text.isascii()


def test_corrections_in_spanish(ana_phone, clock):  # type: ignore[no-untyped-def]
    assert ana_phone.text("entrada ayer 8:00 bus tarde") == (
        "No hay turno el dom 15 nov para cambiar. Un turno olvidado: TURNO lun 8:00-16:30 olvide "
        "For English, text ENGLISH."
    )
    ana_phone.text("ENTRADA")
    clock.advance(hours=9)
    assert ana_phone.text("SALIDA 16:30 olvide") == (
        "Salida 16:30. Turno de 8h 32m desde 07:58. Enviado a tu jefe para aprobar. Envia HORAS."
    )
    assert ana_phone.text("SALIDA 17:30") == "Agrega un motivo, p. ej. SALIDA 17:30 olvide"
    assert ana_phone.text("salida 16:45 me quede") == (
        "Salida cambiada a 16:45, turno 8h 47m. Enviado a tu jefe para aprobar."
    )


def test_hola_is_answered_in_spanish_not_with_the_english_list(ana_phone, store):  # type: ignore[no-untyped-def]
    assert ana_phone.text("hola") == (
        "Prueba ENTRADA, SALIDA, DESCANSO, REGRESO, ESTADO, GASTO 12.50 gasolina, HORAS o AYUDA. "
        "For English, text ENGLISH."
    )


def test_switching_language_and_back(ana_phone, store):  # type: ignore[no-untyped-def]
    assert ana_phone.text("ESPAÑOL") == "Listo: te escribimos en español. For English, text ENGLISH."
    assert ana_phone.text("in") == "Entrada 07:58. Envia DESCANSO, SALIDA, GASTO 12.50 gasolina, AYUDA."
    assert ana_phone.text("English") == "OK: we will write to you in English. Para español, envia ESPANOL."
    assert _speaks(store, "w-ana") == "en"
    # A worker who chose English is not switched by a Spanish keyword: it still works, in English
    assert ana_phone.text("estado").startswith("On shift since 07:58.")
    assert ana_phone.text("INGLES") == "OK: we will write to you in English. Para español, envia ESPANOL."


def test_a_worker_set_to_spanish_by_the_operator_reads_spanish_without_a_hint(ana, ana_phone, store):  # type: ignore[no-untyped-def]
    store.update_worker(replace(ana, language="es"), ana.version)
    assert ana_phone.text("in") == "Entrada 07:58. Envia DESCANSO, SALIDA, GASTO 12.50 gasolina, AYUDA."


@pytest.mark.parametrize("word", ["ALTO", "alto", "PARAR", "Cancelar", "BAJA"])
def test_spanish_opt_out_words_on_twilio_are_recorded_and_confirmed_by_us(ana_phone, store, word):  # type: ignore[no-untyped-def]
    # Twilio blocks and confirms only its English words: these reach us, and we confirm them in Spanish
    assert ana_phone.text(word) == "Ya no recibiras textos de Punchclock. Responde START para volver a recibirlos."
    worker = store.get_worker("w-ana", fresh=True)
    assert worker.sms_opted_out is True and worker.language == "es"
    assert ana_phone.text("ENTRADA") == ""  # still counted, never answered
    assert store.get_worker("w-ana", fresh=True).state.status.value == "on_shift"


def test_a_spanish_day_on_aws_sms(ana_aws: AwsPhone, clock, store):  # type: ignore[no-untyped-def]
    assert ana_aws.text("entrada") == (
        "Entrada 07:58. Envia DESCANSO, SALIDA, GASTO 12.50 gasolina, AYUDA. For English, text ENGLISH."
    )
    clock.advance(hours=4)
    assert ana_aws.text("COMIDA") == "Comida desde 11:58. En turno 4h 00m. Envia REGRESO."
    clock.advance(minutes=30)
    assert ana_aws.text("REGRESO") == "Descanso 30m. En turno 4h 30m. Envia DESCANSO, SALIDA."
    clock.advance(hours=4)
    assert ana_aws.text("salida") == "Salida 16:28. Turno de 8h 30m desde 07:58. Envia HORAS."
    assert ana_aws.text("ALTO") == "Ya no recibiras textos de Punchclock. Responde START para volver a recibirlos."
    assert store.get_worker("w-ana", fresh=True).sms_opted_out is True


def test_a_stranger_saying_hola_is_answered_in_spanish(twilio_door):  # type: ignore[no-untyped-def]
    stranger = TwilioPhone("+15550000444")
    assert stranger.text("hola").startswith("Este numero no esta en Punchclock.")


def test_a_spanish_manager_is_asked_and_decides_in_spanish(  # type: ignore[no-untyped-def]
    ana_phone, mia_phone, manager: Worker, twilio, store, clock
):
    # Given Mia, a manager without Slack, reads Spanish; Ana reads English
    mia = store.get_worker(manager.worker_id, fresh=True)
    store.update_worker(replace(mia, language="es", slack_user_id=None, slack_team_id=None), mia.version)
    ana_phone.text("in")
    clock.advance(hours=9)
    # When Ana corrects her clock-out
    ana_phone.text("out 16:30 forgot")
    # Then Mia is asked in Spanish; Ana's own words (the reason) stay as she typed them
    assert twilio.texts_to(mia_phone.number) == [
        "#1 Ana Lopez: salida 16:58->16:30 lun 16 nov, forgot. Responde APROBAR 1 o RECHAZAR 1 motivo."
    ]
    # When Mia approves in Spanish, she is answered in Spanish, and Ana is told in English
    assert mia_phone.text("aprobar 1") == "Aprobado #1 Ana Lopez: salida 16:58->16:30 lun 16 nov."
    assert twilio.texts_to(ana_phone.number)[-1] == "Your clock-out 16:30 on Mon 16 Nov was approved by Mia Boss."


def test_a_spanish_speakers_reminder_is_in_spanish_and_answered_in_spanish(  # type: ignore[no-untyped-def]
    aws_door, topic_arn, store, org, clock
):
    from core.domain.model import BreakPolicy
    from notifications import jobs_handler
    from tests.conftest import after_request
    from tests.integration.sms.helpers import sms_sent_by_sns
    from tests.integration.sms.test_reminders_by_sns import JobsContext

    # Given Bo, who reads Spanish, forgot to clock out
    store.save_org(replace(org, break_policy=BreakPolicy(meal_rules="none")))
    bo = store.add_worker(Worker("w-bo", org.org_id, "Bo Diaz", phone="+15550000002", language="es"))
    phone = AwsPhone(bo.phone, topic_arn, clock)
    phone.text("entrada")
    clock.advance(hours=9, minutes=5)
    before = len(sms_sent_by_sns())
    # When the reminder sweep runs
    jobs_handler.handler({"job": "reminders", "scheduled_time": "2026-11-17T02:03:00Z"}, JobsContext())
    after_request()
    # Then he is asked in Spanish, with the Spanish keywords that answer it
    assert [text for to, text, *_ in sms_sent_by_sns()[before:] if to == bo.phone] == [
        "Sigues con entrada desde 07:58 (9h 05m). Responde SALIDA 17:00 para salir a esa hora, o SIGO si sigues."
    ]
    # And his answer in Spanish answers it: no reason needed
    assert phone.text("SALIDA 17:00").startswith("Salida 17:00. Turno de 9h 02m desde 07:58.")
    [pending] = store.pending_corrections(org.org_id)
    assert pending.reason == "reminder"


def test_categories_are_named_in_each_readers_language_and_stored_by_the_orgs_name(  # type: ignore[no-untyped-def]
    ana_phone, mia_phone, manager: Worker, twilio, store, clock
):
    # Given Ana reads Spanish and Mia, a manager by text, reads English
    ana = store.get_worker("w-ana", fresh=True)
    store.update_worker(replace(ana, language="es"), ana.version)
    mia = store.get_worker(manager.worker_id, fresh=True)
    store.update_worker(replace(mia, slack_user_id=None, slack_team_id=None), mia.version)
    # When Ana asks for the categories, they are listed in Spanish
    assert ana_phone.text("GASTO ?").startswith("Categorias: gasolina, millaje, piezas, herramientas, comidas,")
    # When she logs parking in her words, her reply names it in Spanish
    assert ana_phone.text("GASTO 8 estacionamiento").startswith("Gasto 8 USD estacionamiento del 2026-11-16")
    # Then it is stored as the org's category, and Mia is asked in English
    [expense] = store.worker_expenses("w-ana", clock.now().date(), clock.now().date())
    assert expense.category == "parking"
    assert "8 USD parking" in twilio.texts_to(mia_phone.number)[-1]

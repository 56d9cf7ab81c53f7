"""Every word Punchclock says in Spanish (neutral, Latin-American): en.py, translated.

The keys and their channels are English's (tests/unit/test_catalogue.py checks parity). Texts
and Slack replies are plain ASCII: an SMS with a, i, o or u accented goes out in UCS-2 (70
characters a segment), so these templates are written without accents at all and read as a
Spanish speaker types on a phone. Keywords are the Spanish ones the grammar reads (ENTRADA,
SALIDA, DESCANSO, COMIDA, REGRESO, ESTADO, HORAS, GASTO, AYUDA); Slack names its slash commands,
which are the same in every language. The email and the upload page, read in a browser, keep
their accents.
"""

from __future__ import annotations

from core.catalogue.language import Formats, Language, Template

REPLIES: dict[str, Template] = {
    "clocked_in": (
        "Entrada {at:time}{job:?clocked_in.job}.{pending:?pending} {:do word.break word.out ex.expense word.help}"
    ),
    "clock_in_amended": "Entrada{day:?on_day} cambiada a {at:time}.{pending:?pending}",
    "clocked_out": (
        "Salida {at:time}. Turno de {shift_minutes:duration} desde {shift_start:time}."
        "{ended_break:?clocked_out.break}{pending:?pending} {:do word.hours}"
    ),
    "clock_out_amended": "Salida{day:?on_day} cambiada a {at:time}, turno {shift_minutes:duration}.{pending:?pending}",
    "break_added": "{kind:break_started.kind.*} {start:time}-{end:time}{day:?on_day} agregado.{pending:?pending}",
    "shift_added": "Turno {start:time}-{end:time}{day:?on_day} ({shift_minutes:duration}) agregado.{pending:?pending}",
    "no_shift_that_day": "No hay turno el {day:day} para cambiar. Un turno olvidado: {:ex.shift}",
    "overlaps_shift": "Eso cruza tu turno {start:day_time}-{end:time}. No se cambio nada.",
    "overlaps_break": "Eso cruza tu descanso {start:day_time}-{end:time}. No se cambio nada.",
    "break_outside_shift": "{start:day_time}-{end:time} no cae dentro de un turno tuyo. No se cambio nada.",
    "clock_in_unchanged": "Tu entrada ya es {at:time}. No se cambio nada.",
    "day_not_found": "Esa fecha no existe. No se cambio nada.",
    "too_old_to_correct": "Las correcciones llegan hasta el {first:day}. No se cambio nada. Habla con tu jefe.",
    "period_locked": "El periodo de pago {start:day} - {end:day} esta cerrado. No se cambio nada. Habla con tu jefe.",
    "break_started": (
        "{kind:break_started.kind.*} desde {at:time}. En turno {shift_minutes:duration}. {:do word.back}"
    ),
    "break_ended": "Descanso {break_minutes:duration}. En turno {shift_minutes:duration}. {:do word.break word.out}",
    "status": "{status:status.status.*}",
    "still_ack": (
        "OK, sigues en turno desde {shift_start:time}. Te pregunto otra vez a las {ask_at:time}. {:do word.out}"
    ),
    "reason_missing_out": "Agrega un motivo, p. ej. {:ex.out_time}",
    "reminder.forgot_clock_out": {
        "sms": (
            "Sigues con entrada desde {shift_start:time} ({shift_minutes:duration}). Responde SALIDA "
            "{suggested_out:time} para salir a esa hora, o SIGO si sigues."
        ),
        "slack": (
            "Sigues con entrada desde {shift_start:time} ({shift_minutes:duration}). Marca salida a las "
            "{suggested_out:time} (o /clockout 17:30 con tu hora), ¿o sigues trabajando?"
        ),
    },
    "reminder.auto_clock_out": (
        "Sin respuesta: tu turno desde {shift_start:time} se cerro a las {at:time}, lo revisa tu jefe. "
        "¿Saliste a otra hora? {:word.out} 17:30"
    ),
    "reminder.long_break": "{kind:break_started.kind.*} lleva {break_minutes:duration}. {:do word.back}",
    "reminder.meal_due": (
        "En turno {shift_minutes:duration}: toma tu comida antes de las {meal_by:time}. {:do word.lunch}"
    ),
    "reminded": "Recordatorio enviado.",
    "reminders_skipped": "Recordatorio demasiado tarde para servir: no enviado.",
    "auto_clocked_out": "Salida automatica a las {at:time}, para que la revise un jefe.",
    "expense_logged": (
        "Gasto {amount:amount} {currency:currency} {category:category20} del {spent_on:date} guardado."
        "{receipt:?expense_logged.receipt}{pending:?pending}"
    ),
    "expense_categories": "Categorias: {categories:categories100}. P. ej. {:ex.expense}",
    "expense_repeated": (
        "Ya guardado: {amount:amount} {currency:currency} {category:category20} del {spent_on:date}. "
        "¿Otro? Agrega una palabra: {:word.expense} {amount:amount} {category:category20} 2do"
    ),
    "hours": (
        "{period:hours.period.*}: {hours_worked_minutes:duration} trabajadas, {on_task_minutes:duration} en tarea, "
        "extra {overtime_minutes:duration}, {days_worked:count} dia(s)."
        "{open_shift:?hours.open_shift}{pending:?hours.pending}"
    ),
    "team": (
        "En turno {on_shift:count}{names:?team.names}. Descanso {on_break:count}. Fuera {off:count}. "
        "Te esperan {pending:count}.{stopped:?team.stopped}"
    ),
    "help": {
        "sms": (
            "Punchclock: ENTRADA <obra>, SALIDA, DESCANSO, COMIDA, REGRESO, ESTADO, HORAS, GASTO 12.50 gasolina"
            "{categories:?help.categories}. Corregir: SALIDA ayer 17:30 olvide.{manager:?help.managers}"
            " ENGLISH: en ingles. ALTO: no mas textos. Pueden aplicar tarifas."
        ),
        "slack": (
            "/clockin [obra], /clockout, /break [comida|descanso], /back, /status, /expense 12.50 gasolina"
            "{categories:?help.categories}, /timesheet [hoy|semana|semana pasada]. Corregir: /clockout ayer "
            "17:30 olvide, /punch turno lun 8:00-16:30 olvide. In English: /punch idioma en."
            "{manager:?help.managers}"
        ),
    },
    "unknown": "Perdon, no entendi. {:do word.help}",
    "already_in": "Ya tienes entrada desde {shift_start:time}. {:do word.break word.out}",
    "not_in": "No tienes entrada. {:do word.in}",
    "already_on_break": "Estas en descanso desde {since:time}. {:do word.back}",
    "not_on_break": "No estas en descanso. {:do word.break word.out}",
    "time_before_last_shift": "{at:time} es antes de tu ultima salida a las {last_end:time}. No se cambio nada.",
    "time_in_future": "{at:time} es mas tarde que ahora. No se cambio nada.",
    "time_after_now": "{at:time} es muy tarde para esa marca. No se cambio nada.",
    "clock_out_unchanged": "Tu salida ya es {at:time}. No se cambio nada.",
    "time_before_start": "{at:time} es antes del inicio a las {start:time}. No se cambio nada.",
    "bad_amount": "El monto debe ser {problem:bad_amount.problem.*}, p. ej. {:ex.expense}. No se guardo nada.",
    "bad_expense_date": "Los gastos pueden ser del {first:date} al {last:date}. No se guardo nada.",
    "amount_over_limit": "Montos de mas de {limit:amount} {currency:currency} necesitan a tu jefe. No se guardo nada.",
    "budget_set": (
        "Presupuesto de {category:category20}: {budget:amount} {currency:currency} al mes. "
        "{month:month} hasta hoy: {spent:amount} ({percent:count}%)."
    ),
    "budget_cleared": "Presupuesto de {category:category20} quitado: no mas alertas.",
    "budget_not_set": "No hay presupuesto para {category:category20}. No se cambio nada.",
    "budgets": {
        "sms": "Presupuestos {month:month} ({currency:currency}): {lines:items110}",
        "slack": "Presupuestos {month:month} ({currency:currency}), gastado de presupuesto: {lines:items2000}",
    },
    "no_budgets": "No hay presupuestos. Pon uno con {:ex.budget}",
    "bad_budget": "Un presupuesto debe ser {problem:bad_amount.problem.*}, p. ej. {:ex.budget}. No se cambio nada.",
    "budget_currency": "Los presupuestos son en {currency:currency}, p. ej. {:ex.budget}. No se cambio nada.",
    "budget_unknown_category": "{category:text20} no es una categoria de gastos. Elige una: {categories:categories80}",
    "budget_alert": (
        "{level:budget_alert.level.*}: {category:category20} en {month:month} va en {spent:amount} "
        "{currency:currency}, {percent:count}% de {budget:amount}. {:do word.budgets}"
    ),
    "managers_only": "Solo los jefes pueden hacer eso.",
    "nothing_pending": "No hay nada esperandote.",
    "pending_item": (
        "{position:count}/{total:count} #{number:count} {name:text16}: {what:pending.what.*}"
        "{reason:?pending.reason} ({age:age}). {:word.approve} {number:count} o {:word.reject} "
        "{number:count} razon.{next:?pending.next}"
    ),
    "no_such_number": "Nada con el numero {number:count} te espera. {:do word.pending}",
    "which_item": (
        "Hay {total:count}. #{number:count} {name:text16}: {what:pending.what.*}"
        "{reason:?pending.reason} ({age:age}). {:word.approve} {number:count} o {:word.reject} "
        "{number:count} razon.{next:?pending.next}"
    ),
    "own_item": "Otro jefe debe decidir lo tuyo.",
    "item_decided": (
        "{decision:item_decided.decision.*}{number:?item_decided.number} {name:text24}: {what:pending.what.*}."
    ),
    "already_decided": "Eso ya se decidio. No se cambio nada.",
    "number_decided": "{number:count} ({name:text24}) ya se decidio. No se cambio nada. {:do word.pending}",
    "approve_all_offer": (
        "¿Aprobar los {count:count} que esperan ({names:text50})? {:word.approve_all} {count:count} para confirmar."
    ),
    "approve_all_first": "Envia {:word.approve_all} primero, para ver cuantos esperan. No se cambio nada.",
    "approve_all_count": (
        "Se ofrecieron {offered:count}, no {count:count}. No se cambio nada. {:word.approve_all} {offered:count} "
        "los confirma."
    ),
    "approved_all": "Aprobados {approved:count}.{gone:?approved_all.gone}",
    "decision_told": (
        "Tu {what:told.what.*} fue {decision:told.decision.*} por {decided_by_name:text24}{note:?told.note}."
    ),
    "period_now_locked": "Periodo de pago {start:day} - {end:day} cerrado: ya no acepta correcciones.",
    "period_already_locked": "El periodo {start:day} - {end:day} lo cerro {by:text24} el {locked_at:day}.",
    "period_not_over": "El periodo de pago {start:day} - {end:day} no ha terminado. No se cerro nada.",
    "period_has_pending": (
        "{count:count} correccion(es) de {start:day} - {end:day} esperan: decidelas primero. No se cerro nada. "
        "{:do word.pending}"
    ),
    "report_email_queued": {
        "sms": "Enviando por correo el informe del {day:date}. Te aviso por texto cuando salga.",
        "slack": "Enviando el informe del {day:date} a {to:text300}. Te aviso aqui cuando salga.",
    },
    "report_email_recent": {
        "sms": "Ya se esta enviando el informe del {day:date}: un correo por minuto.",
        "slack": "Ya se esta enviando el informe del {day:date} a {to:text300}: un correo por minuto.",
    },
    "report_emailed": {
        "sms": "Informe del {day:date} enviado por correo.",
        "slack": "Informe del {day:date} enviado a {to:text300}.",
    },
    "invited": "Invitaste a {name:text30} ({phone:phone}). Codigo {code:join_code} enviado, vale 48h.",
    "phone_taken": "{phone:phone} ya es de otro trabajador.",
    "phone_opted_out": "{phone:phone} respondio STOP a nuestros textos. Debe enviar START primero.",
    "bad_code": "Ese codigo no vale para este numero. Pide a tu jefe una nueva invitacion.",
    "code_expired": "Ese codigo ya vencio. Pide a tu jefe una nueva invitacion.",
    "joined": "Bienvenido/a {name:text30}! Ya estas registrado/a. {:do word.in word.help}",
    "already_joined": {
        "sms": "Este numero ya esta registrado. Envia AYUDA para ver los comandos.",
        "slack": "Ya estas registrado/a. Mira /punch help para ver los comandos.",
    },
    "opted_out": {
        "sms": "Ya no recibiras textos de Punchclock. Responde START para volver a recibirlos.",
        "slack": "Ya no recibiras textos de Punchclock. /punch start los vuelve a activar.",
    },
    "opted_in": {
        "sms": "Los textos estan activos otra vez. Envia AYUDA para ver los comandos.",
        "slack": "Los textos estan activos otra vez. Mira /punch help para ver los comandos.",
    },
    "not_registered": {
        "sms": "Este numero no esta en Punchclock. Pide una invitacion a tu jefe y luego envia JOIN <codigo>.",
        "slack": "No estas registrado/a en Punchclock. Pide a tu jefe que te agregue.",
    },
    "deactivated": "Tu acceso a Punchclock esta desactivado. Habla con tu jefe.",
    "busy": "Perdon, eso choco con otro cambio. Intenta otra vez.",
    "range_too_long": "Elige un rango de {days:count} dias como maximo.",
    "date_out_of_range": "Esa fecha esta fuera de rango: elige entre el {first:date} y el {last:date}.",
    "receipt_waiting": {
        "sms": "Recibimos tu recibo. Responde GASTO <monto> <categoria>, p. ej. GASTO 12.50 gasolina.",
        "slack": "Recibimos tu recibo. Guardalo con /expense <monto> <categoria>, p. ej. /expense 12.50 gasolina.",
    },
    "error": {
        "sms": (
            "Perdon, algo fallo de nuestro lado y no sabemos si se guardo. "
            "Envia ESTADO para revisar antes de mandarlo otra vez."
        ),
        "slack": (
            "Perdon, algo fallo de nuestro lado y no sabemos si se guardo. Revisa /status antes de intentar otra vez."
        ),
    },
    # The worker's language, chosen or switched (core/services/language.py).
    "language_set": {
        "sms": "Listo: te escribimos en español. For English, text ENGLISH.",
        "slack": "Listo: te escribimos en español. For English: /punch language en",
    },
}

PROBLEMS: dict[str, Template] = {
    "no_command": (
        "Prueba {:word.in}, {:word.out}, {:word.break}, {:word.back}, {:word.status}, {:ex.expense}, "
        "{:word.hours} o {:word.help}."
    ),
    "reason_missing_in": "Agrega un motivo, p. ej. {:ex.in_time}",
    "time_invalid_in": "Esa hora no parece bien, p. ej. {:ex.in_time}",
    "time_invalid_out": "Esa hora no parece bien, p. ej. {:ex.out_time}",
    "job_too_long": "Esa obra es muy larga, p. ej. {:ex.in_job}",
    "category_too_long": "Esa categoria es muy larga, p. ej. {:ex.expense}",
    "expense_keyword_missing": "Empieza con {:word.expense} para un gasto, p. ej. {:ex.expense}",
    "amount_missing": "¿Qué monto? p. ej. {:ex.expense}",
    "amount_unreadable": "Ese monto no parece bien, p. ej. {:ex.expense}",
    "amount_not_first": "Pon el monto primero, p. ej. {:ex.expense}",
    "amount_not_positive": "El monto debe ser mayor que 0, p. ej. {:ex.expense}",
    "amount_too_precise": "Usa 2 decimales como maximo, p. ej. {:ex.expense}",
    "date_invalid": "Esa fecha no existe, p. ej. {:ex.hours_range}",
    "date_range_reversed": "La fecha final es antes de la inicial, p. ej. {:ex.hours_range}",
    "hours_unreadable": {
        "sms": "Prueba HORAS, HORAS HOY, HORAS SEMANA PASADA o HORAS 2026-11-01..2026-11-07.",
        "slack": "Prueba /timesheet, /timesheet hoy, /timesheet semana pasada o /timesheet 2026-11-01..2026-11-07.",
    },
    "join_code_missing": {
        "sms": "Envia JOIN y tu codigo de 6 cifras, p. ej. JOIN 123456",
        "slack": "En Slack no necesitas codigo: ya estas registrado/a. Mira /punch help.",
    },
    "decision_unreadable": {
        "sms": "Responde APROBAR o RECHAZAR con su numero, p. ej. RECHAZAR 2 muy tarde, o APROBAR TODO",
        "slack": "Usa /punch approve o /punch reject con su numero, p. ej. /punch reject 2 muy tarde",
    },
    "reject_all": "Rechaza cada uno por su numero, con motivo, p. ej. {:word.reject} 2 muy tarde",
    "pending_unreadable": "Prueba {:word.pending}, o {:word.pending} 4 para empezar en el 4.",
    "lock_unreadable": "Prueba {:word.lock} (el ultimo periodo) o {:word.lock} 11/15 (el de ese dia).",
    "day_invalid": "Esa fecha no parece bien, p. ej. {:ex.out_day}",
    "time_invalid_span": "Esas horas no parecen bien, p. ej. {:ex.shift}",
    "reason_missing_break": "Agrega un motivo, p. ej. {:ex.break_span}",
    "reason_missing_shift": "Agrega un motivo, p. ej. {:ex.shift}",
    "shift_unreadable": "Di el dia y las horas, p. ej. {:ex.shift}",
    "invite_phone_missing": {
        "sms": "Envia INVITAR, un teléfono y un nombre, p. ej. {:ex.invite}",
        "slack": "Usa /punch invite con un teléfono y un nombre, p. ej. {:ex.invite}",
    },
    "invite_phone_invalid": "Ese teléfono no parece bien, p. ej. {:ex.invite}",
    "invite_name_missing": "Agrega un nombre, p. ej. {:ex.invite}",
    "budget_unreadable": "Prueba {:ex.budget}, {:word.budget} gasolina off o {:word.budgets}.",
    "command_words": "Prueba {:word.help} para ver que acepta ese comando.",
    "language_unreadable": {
        "sms": "Envia ESPANOL o ENGLISH.",
        "slack": "Usa /punch idioma es o /punch idioma en.",
    },
}

MESSAGES: dict[str, Template] = {
    "workspace_not_linked": {
        "slack": (
            "Este espacio de Slack aun no esta enlazado con Punchclock. "
            "Pide a tu admin de Punchclock que lo enlace (id de equipo de Slack {team_id:id})."
        ),
    },
    "not_enrolled": {
        "slack": "Aun no estas en Punchclock. Pide a un jefe que te agregue (tu id de Slack es {user_id:id}).",
    },
    "join_by_command": {"slack": "Bienvenido/a a Punchclock! Usa {:word.in} o {:word.help} para empezar."},
    "account_off": {"slack": "Tu cuenta de Punchclock esta desactivada. Habla con un jefe si es un error."},
    "slack_not_configured": {"slack": "La puerta de Slack de Punchclock no esta configurada."},
    "apology": {"slack": "Perdon, algo fallo de nuestro lado. Intenta otra vez en un minuto."},
    "report_day_unreadable": {"slack": "Prueba /report, /report ayer o /report 2026-11-16."},
    "language_from_slack": {
        "slack": "Tu Slack esta en español, asi que te escribimos en español. For English: /punch language en"
    },
    "report_other_org": {"slack": "Ese informe es de otra organizacion: usa /report para la tuya."},
    "report_button_stale": {"slack": "Ese boton ya no vale: usa /report otra vez."},
    "report_no_address": {
        "slack": "No hay un correo tuyo ni de tu organizacion. Pide a un admin de Punchclock que agregue el tuyo.",
    },
    "email_not_set_up": {"slack": "El correo aun no esta configurado en este Punchclock. Habla con un admin."},
    "decision_settled": {"slack": "{decision:decision_settled.decision.*} por {name:text40}, {at:day_time}."},
    "decision_already_settled": {"slack": "No se cambio nada: esto ya estaba decidido."},
    "expense_form_amount": {"slack": "Escribe un monto como 12.50"},
    "expense_form_currency": {"slack": "Usa un codigo de moneda de 3 letras como USD"},
    "expense_form_category": {"slack": "Elige una categoria"},
    "expense_form_future": {"slack": "Esa fecha es futura"},
    "expense_form_too_early": {"slack": "Elige una fecha entre el {first:date} (hace {days:count} dias) y hoy"},
    "receipt_not_saved": {"slack": "No se pudo guardar el recibo: mandaselo a tu jefe."},
    "media_too_big": {"sms": "Ese archivo pasa de 5 MB. No se guardo nada. Manda una foto mas chica, o solo el texto."},
    "media_wrong_type": {
        "sms": "Solo se guardan fotos y recibos en PDF. No se guardo nada. Manda una foto o el texto.",
    },
    "media_too_many": {"sms": "Manda 5 fotos como maximo a la vez. No se guardo nada."},
    "media_unavailable": {"sms": "Perdon, no pudimos obtener tu foto. No se guardo nada. Mandala otra vez."},
    "receipt_kept": {"sms": "Recibo guardado para tu proximo {:word.expense}."},
    "approval_request": {
        "sms": (
            "#{number:count} {name:text16}: {what:pending.what.*}{reason:?pending.reason}. "
            "Responde APROBAR {number:count} o RECHAZAR {number:count} motivo."
        ),
    },
    "invite": {"sms": "{org:text40} te invita a Punchclock. Responde JOIN {code:join_code} para empezar."},
}

WORDS: dict[str, Template] = {
    "word.in": {"sms": "ENTRADA", "slack": "/clockin"},
    "word.out": {"sms": "SALIDA", "slack": "/clockout"},
    "word.break": {"sms": "DESCANSO", "slack": "/break"},
    "word.lunch": {"sms": "COMIDA", "slack": "/break comida"},
    "button.reminder_out": "Salir a las {at:time}",
    "button.still": "Sigo trabajando",
    "word.back": {"sms": "REGRESO", "slack": "/back"},
    "word.status": {"sms": "ESTADO", "slack": "/status"},
    "word.hours": {"sms": "HORAS", "slack": "/timesheet"},
    "word.help": {"sms": "AYUDA", "slack": "/punch ayuda"},
    "word.expense": {"sms": "GASTO", "slack": "/expense"},
    "word.invite": {"sms": "INVITAR", "slack": "/punch invite"},
    "word.pending": {"sms": "PENDIENTES", "slack": "/punch pendientes"},
    "word.approve": {"sms": "APROBAR", "slack": "/punch aprobar"},
    "word.reject": {"sms": "RECHAZAR", "slack": "/punch rechazar"},
    "word.approve_all": {"sms": "APROBAR TODO", "slack": "/punch aprobar todo"},
    "word.lock": {"sms": "CERRAR", "slack": "/punch cerrar"},
    "ex.shift": {"sms": "TURNO lun 8:00-16:30 olvide", "slack": "/punch turno lun 8:00-16:30 olvide"},
    "ex.break_span": "{:word.break} lun 12:00-12:30 olvide",
    "ex.out_day": "{:word.out} 11/29 17:30 olvide",
    "ex.expense": "{:word.expense} 12.50 gasolina",
    "ex.in_time": "{:word.in} 8:00 bus tarde",
    "ex.out_time": "{:word.out} 17:30 olvide",
    "ex.in_job": "{:word.in} obra-norte",
    "ex.hours_range": "{:word.hours} 2026-11-01..2026-11-07",
    "ex.invite": "{:word.invite} +15551234567 Ana Lopez",
    "word.budget": {"sms": "PRESUPUESTO", "slack": "/punch presupuesto"},
    "word.budgets": {"sms": "PRESUPUESTOS", "slack": "/punch presupuestos"},
    "ex.budget": "{:word.budget} gasolina 500",
    "budget_alert.level.100": "Presupuesto agotado",
    "budget_alert.level.other": "Alerta de presupuesto",
    "do": {"sms": "Envia {actions:raw}.", "slack": "{actions:raw}"},
    "do.separator": {"sms": ", ", "slack": " "},
    "language.switch_back": {"sms": "For English, text ENGLISH.", "slack": "For English: /punch language en"},
    "pending": " Enviado a tu jefe para aprobar.",
    "on_day": " del {day:day}",
    "pending.what.clock_in": "entrada {was:time}->{at:time} {day:day}",
    "pending.what.clock_out": "salida {was:time}->{at:time} {day:day}",
    "pending.what.auto_clock_out": "salida auto {at:time} {day:day}",
    "pending.what.break": "descanso {at:time}-{until:time} {day:day}",
    "pending.what.shift": "turno {at:time}-{until:time} {day:day}",
    "pending.what.expense": "{amount:amount} {currency:currency} {category:category16} {day:day}",
    "pending.what.other": "{day:day}",
    "pending.reason": ", {reason:text20}",
    "pending.next": " Mas: {:word.pending} {next:count}",
    "item_decided.decision.approved": "Aprobado",
    "item_decided.decision.other": "Rechazado",
    "item_decided.number": " #{number:count}",
    "approved_all.gone": " {gone:count} ya decididos.",
    "told.what.clock_in": "entrada {at:time} del {day:day}",
    "told.what.clock_out": "salida {at:time} del {day:day}",
    "told.what.auto_clock_out": "salida automatica {at:time} del {day:day}",
    "told.what.break": "descanso {at:time}-{until:time} del {day:day}",
    "told.what.shift": "turno {at:time}-{until:time} del {day:day}",
    "told.what.expense": "gasto {amount:amount} {currency:currency} {category:category16} del {day:day}",
    "told.what.other": "asunto del {day:day}",
    "told.decision.approved": "aprobado",
    "told.decision.other": "rechazado",
    "told.note": ": {note:text40}",
    "status.pending": " Esperan a tu jefe: {pending:count}.",
    "clocked_in.job": " en {job:text30}",
    "clocked_out.break": " Descanso de {break_minutes:duration} terminado.",
    "break_started.kind.meal": "Comida",
    "break_started.kind.other": "Descanso",
    "status.status.on_break": (
        "En descanso desde {break_start:when}, turno desde {shift_start:when}.{pending:?status.pending} "
        "{:do word.back word.out}"
    ),
    "status.status.on_shift": (
        "En turno desde {shift_start:when}{job:?status.job}.{pending:?status.pending} {:do word.break word.out}"
    ),
    "status.status.other": (
        "Fuera de turno.{last_end:?status.last_out}{pending:?status.pending} {:do word.in word.hours}"
    ),
    "status.job": " ({job:text30})",
    "status.last_out": " Ultima salida {last_end:when}.",
    "expense_logged.receipt": " Con recibo.",
    "hours.period.week": "Esta semana",
    "hours.period.today": "Hoy",
    "hours.period.yesterday": "Ayer",
    "hours.period.last week": "Semana pasada",
    "hours.period.other": "{start:date}..{end:date}",
    "hours.open_shift": " Incluye un turno abierto.",
    "hours.pending": " {pending:count} correccion(es) pendiente(s).",
    "team.names": ": {names:names}",
    "team.stopped": " Textos apagados (STOP): {stopped:count}.",
    "help.categories": {"sms": " ({categories:categories40})", "slack": " ({categories:categories300})"},
    "help.managers": {
        "sms": " Jefes: PENDIENTES, APROBAR 2, RECHAZAR 2 motivo, CERRAR.",
        "slack": (
            " Jefes: /team, /report, /punch pendientes, /punch aprobar 2, /punch rechazar 2 motivo, /punch cerrar."
        ),
    },
    "bad_amount.problem.amount_not_positive": "mayor que 0",
    "bad_amount.problem.amount_too_precise": "de 2 decimales como maximo",
    "bad_amount.problem.other": "valido",
    "report.period": "Periodo de pago {start:day} - {end:day}: {state:report.period.*}.",
    "report.period.locked": "cerrado el {locked_at:day}",
    "report.period.other": "abierto",
    "expense.status.submitted": "esperando",
    "expense.status.approved": "aprobado",
    "expense.status.rejected": "rechazado",
    "report.reimburse": "A reembolsar: {totals:raw}",
    "report.summary": (
        "{worked:count} trabajaron, {hours_worked:duration} horas trabajadas, extra {overtime:duration}, "
        "{still_in:count} aun dentro, {waiting:count} correccion(es) esperando"
    ),
    "report.total": "{total:cents} {currency:currency}",
    "report.rules": "Horas extra: {policy:raw}. Reglas de comida: {meals:report.rules.meals.*}.",
    "report.rules.meals.owed": "{title:raw} ({source:raw})",
    "report.rules.meals.other": "ninguna (la FLSA no exige descanso para comer)",
    "flag.open_shift": "aun dentro",
    "flag.pending_correction": "correccion pendiente",
    "flag.self_approved": "autoaprobado",
    "flag.auto_clock_out": "salida automatica",
    "flag.long_shift": "mas de 12h",
    "flag.orphan_punch": "marcas raras",
    "flag.short_meal": "comida corta",
    "flag.meal_late": "comida tarde",
    "flag.meal_missed": "sin comida",
    "flag.meal_early": "comida temprano",
    "flag.second_meal_late": "2a comida tarde",
    "flag.second_meal_missed": "sin 2a comida",
    "flag.second_meal_early": "2a comida temprano",
    "decision_settled.decision.approved": "Aprobado",
    "decision_settled.decision.other": "Rechazado",
    "sms.help_contact": {"sms": "Tu jefe: {contact:raw}"},
    "sms.upload_offer": {"sms": "{reply:raw} Recibo: {link:raw}"},
    "sms.upload_offer_short": {"sms": "Gasto guardado. Recibo: {link:raw}"},
    "report.nobody_in": "Nadie marco entrada.",
    "slack.report.header": {"slack": "Informe de Punchclock {day:day_year}"},
    "slack.report.text": {"slack": "Informe {day:day_year}: {summary:raw}."},
    "slack.report.line": {
        "slack": (
            "- *{name:raw}* {first:raw}-{last:raw}, {worked:duration} horas trabajadas, extra {overtime:duration}, "
            "descansos {paid:duration} pagados, {unpaid:duration} sin pagar"
            "{flags:?slack.report.line.flags}{expenses:?slack.report.line.expenses}"
        ),
    },
    "slack.report.line.in": {"slack": "dentro"},
    "slack.report.line.flags": {"slack": " :warning: {flags:raw}"},
    "slack.report.line.expenses": {"slack": ", gastos {expenses:raw}"},
    "slack.report.expenses": {"slack": "Gastos: {count:count}, {totals:raw}"},
    "slack.report.email_button": {"slack": "Enviar este informe por correo"},
    "slack.team.title.on_shift": {"slack": "*En turno ({count:count})*"},
    "slack.team.title.on_break": {"slack": "*En descanso ({count:count})*"},
    "slack.team.title.off": {"slack": "*Fuera ({count:count})*"},
    "slack.team.texts_off": {"slack": " _(textos apagados: respondio STOP)_"},
    "slack.team.since": {"slack": " desde {since:when}"},
    "slack.team.pending": {"slack": ":warning: {pending:count} esperan a un jefe"},
    "slack.team.waiting": {"slack": "*Te esperan ({count:count})*"},
    "slack.team.waiting_hint": {
        "slack": "`/punch aprobar 2`, `/punch rechazar 2 motivo`, `/punch aprobar todo`, o los botones en tus DMs",
    },
    "slack.pending.line": {
        "slack": (
            "*#{number:count}* *{name:raw}*: {what:pending.what.*}{reason:?slack.pending.reason} _(hace {age:age})_"
        ),
    },
    "slack.pending.reason": {"slack": ", {reason:raw}"},
    "slack.approval.text": {
        "slack": (
            "#{number:count} {name:raw}: {what:pending.what.*}{reason:?slack.pending.reason}. "
            "Aprueba o rechaza en Slack."
        ),
    },
    "slack.approval.no_reason": {"slack": "sin motivo"},
    "slack.approval.hint": {
        "slack": "O escribe `/punch aprobar {number:count}` o `/punch rechazar {number:count} motivo`.",
    },
    "slack.approval.approve": {"slack": "Aprobar"},
    "slack.approval.reject": {"slack": "Rechazar"},
    "slack.home.state.on_break": {
        "slack": "{kind:slack.home.break.*} desde {since:when}{shift_start:?slack.home.shift_since}",
    },
    "slack.home.break.meal": {"slack": "*En comida*"},
    "slack.home.break.other": {"slack": "*En descanso*"},
    "slack.home.shift_since": {"slack": ", turno desde {shift_start:when}"},
    "slack.home.state.on_shift": {"slack": "*En turno* desde {since:when}{job:?slack.home.job}"},
    "slack.home.job": {"slack": " ({job:raw})"},
    "slack.home.state.off": {"slack": "*Fuera de turno*{last_out:?slack.home.last_out}"},
    "slack.home.last_out": {"slack": ", ultima salida {last_out:when}"},
    "slack.home.today": {"slack": "*Hoy*\n{worked:duration} trabajadas"},
    "slack.home.week": {"slack": "*Esta semana*\n{worked:duration} trabajadas, extra {overtime:duration}"},
    "slack.home.pending": {"slack": "{pending:count} correccion(es) esperando a un jefe."},
    "slack.home.expenses": {"slack": "*Gastos de esta semana*"},
    "slack.home.team": {"slack": "*Equipo*"},
    "slack.home.updated": {"slack": "Actualizado {now:when}. Comandos: `/punch ayuda`"},
    "slack.home.button.clock_in": {"slack": "Entrada"},
    "slack.home.button.start_break": {"slack": "Descanso"},
    "slack.home.button.end_break": {"slack": "Regreso"},
    "slack.home.button.clock_out": {"slack": "Salida"},
    "slack.home.button.log_expense": {"slack": "Anotar gasto"},
    "slack.home.language": {"slack": "*Idioma*"},
    "slack.language.name": {"slack": "Español"},
    "category.fuel": "gasolina",
    "category.mileage": "millaje",
    "category.parts": "piezas",
    "category.tools": "herramientas",
    "category.meals": "comidas",
    "category.lodging": "hospedaje",
    "category.parking": "estacionamiento",
    "category.tolls": "peajes",
    "category.travel": "viajes",
    "category.transit": "transporte",
    "category.supplies": "materiales",
    "category.phone": "teléfono",
    "category.other": "otros",
    "slack.expense_modal.title": {"slack": "Anotar un gasto"},
    "slack.expense_modal.submit": {"slack": "Guardar"},
    "slack.expense_modal.close": {"slack": "Cancelar"},
    "slack.expense_modal.amount": {"slack": "Monto"},
    "slack.expense_modal.currency": {"slack": "Moneda"},
    "slack.expense_modal.category": {"slack": "Categoria"},
    "slack.expense_modal.date": {"slack": "Fecha"},
    "slack.expense_modal.note": {"slack": "Nota"},
    "slack.expense_modal.receipt": {"slack": "Recibo"},
    "page.upload.title": "Agrega tu recibo",
    "page.upload.for": "Para tu gasto {amount:amount} {currency:currency} {category:category} del {spent_on:date}.",
    "page.upload.photo": "Mandar foto",
    "page.upload.or_pdf": "O un PDF:",
    "page.upload.pdf": "Mandar PDF",
    "page.upload.nothing_yet": "No recibimos ningún archivo. Intenta otra vez.",
    "page.upload.refused": "No se guardó ese archivo: manda una foto o un PDF de 5 MB como máximo.",
    "page.not_allowed.title": "No permitido",
    "page.not_allowed.text": "Abre el enlace desde tu mensaje de texto.",
    "page.not_available.title": "No disponible",
    "page.not_available.text": "Aquí no se pueden subir recibos.",
    "page.expired.title": "Enlace vencido",
    "page.expired.text": "Este enlace venció o ya se usó.",
    "page.retry.title": "Intenta otra vez",
    "page.retry.text": "Recibimos tu archivo pero no pudimos agregarlo a tu gasto ahora.",
    "page.retry.link": "Intenta otra vez",
    "page.retry.when": "en un minuto (o recarga esta página).",
    "page.added.title": "Recibo agregado",
    "page.added.text": "Gracias. Ya puedes cerrar esta página.",
    "page.gone.title": "Gasto no encontrado",
    "page.gone.text": "Ese gasto ya no existe.",
    "report.rounding.none": "Horas tal como se marcaron.",
    "report.rounding.nearest": (
        "Entradas y salidas contadas a los {minutes:count} minutos mas cercanos, tanto hacia arriba como hacia "
        "abajo (29 CFR 785.48(b)); descansos tal como se marcaron."
    ),
    "email.report.title": "Resumen diario de Punchclock",
    "email.report.subject": (
        "{:email.report.title} - {org:raw} - {day:date}: {worked:count} trabajaron, {hours_worked:duration}, "
        "extra {overtime:duration}{waiting:?email.report.subject.waiting}"
    ),
    "email.report.subject.waiting": ", {waiting:count} corrección(es) esperando",
    "email.report.heading": "{org:raw} - {day:day_year}",
    "email.report.footer": (
        "{rules:raw} {rounding:raw} Horas trabajadas = en tarea + descansos pagados = normales + extra + dobles; "
        "cada total es la suma de sus filas tal como se muestran. Las horas son la hora local de cada trabajador. "
        "Adjuntos: las filas de la hoja de horas del día, cada marca del día y los gastos con los enlaces a sus "
        "recibos (los enlaces vencen en 7 días como máximo)."
    ),
    "email.stat.worked": "trabajaron",
    "email.stat.hours_worked": "horas trabajadas",
    "email.stat.overtime": "horas extra",
    "email.stat.overtime_only": "horas extra (1.5x)",
    "email.stat.double_time": "horas dobles (2x)",
    "email.stat.regular": "normales",
    "email.stat.still_in": "aún dentro",
    "email.stat.waiting": "correcciones esperando",
    "email.stat.expenses": "gastos",
    "email.report.insights": "Para revisar",
    "email.insight.hours_above": (
        "{name:raw} trabajó {minutes:duration}, frente a {average:duration} en un día trabajado promedio de las "
        "últimas 4 semanas ({days:count} días)."
    ),
    "email.insight.hours_below": (
        "{name:raw} trabajó solo {minutes:duration}, frente a {average:duration} en un día trabajado promedio de "
        "las últimas 4 semanas ({days:count} días)."
    ),
    "email.insight.spend_above": (
        "{name:raw} gastó {amount:cents} {currency:currency}, frente a {average:cents} {currency:currency} en un "
        "día con gastos promedio de las últimas 4 semanas ({days:count} días)."
    ),
    "email.insight.meals_repeated": (
        "{name:raw}: comidas perdidas, tarde o cortas en {days:count} de los últimos {of:count} días."
    ),
    "email.insight.budget_over": (
        "{category:category20} pasó su presupuesto mensual: {spent:cents} de {budget:cents} {currency:currency} "
        "gastados este mes ({percent:count}%)."
    ),
    "email.chart.title": "Horas trabajadas por trabajador",
    "email.chart.legend": "Azul: horas normales. Naranja: horas extra y dobles.",
    "email.chart.text_legend": "#: horas normales. +: horas extra y dobles.",
    "email.chart.more": "Y {count:count} más, en la tabla de abajo.",
    "email.report.rows_shown": "Se muestran {shown:count} de {total:count} filas: los adjuntos tienen todas.",
    "email.report.hours": "Horas",
    "email.report.total": "Total",
    "email.report.still_in": "aún dentro",
    "email.report.expenses": "Gastos",
    "email.report.expenses_counted": "Gastos ({count:count}: {totals:raw})",
    "email.report.no_expenses": "Sin gastos.",
    "email.report.receipt.yes": "guardado",
    "email.report.receipt.no": "ninguno",
    "email.report.receipt.view": "ver",
    "email.report.pending": "Correcciones",
    "email.report.pending_waiting": "Correcciones que esperan a un jefe (decide cada una en Slack o por texto)",
    "email.report.none_waiting": "Ninguna esperando.",
    "email.report.decided": "Correcciones decididas el {day:day}",
    "email.report.none_decided": "Ninguna decidida.",
    "email.report.decision": "{decision:email.report.decision.*}",
    "email.report.decision.approved": "aprobada",
    "email.report.decision.other": "rechazada",
    "email.report.asks": "{kind:email.report.asks.*}",
    "email.report.asks.clock_in": "entrada",
    "email.report.asks.other": "salida",
    "email.report.open_shifts": "Aún dentro",
    "email.report.nobody": "Nadie.",
    "email.weekly.title": "Hoja de horas semanal de Punchclock",
    "email.weekly.subject": (
        "{:email.weekly.title} - {org:raw} - {start:date} a {end:date}: {worked:count} trabajaron, "
        "{hours_worked:duration}, extra {overtime:duration}"
    ),
    "email.weekly.heading": "{org:raw} - {start:day} a {end:day_year}",
    "email.weekly.summary": (
        "{worked:count} trabajaron, {hours_worked:duration} horas trabajadas: {regular:duration} normales, "
        "{overtime:duration} extra, {double_time:duration} dobles. {waiting:count} corrección(es) esperando."
    ),
    "email.weekly.chart": "Horas trabajadas por trabajador esta semana",
    "email.weekly.days": "Horas por día",
    "email.weekly.cell": (
        "{worked:duration}{overtime:?email.weekly.cell.overtime}{double_time:?email.weekly.cell.double_time}"
        "{breaks:?email.weekly.cell.breaks}"
    ),
    "email.weekly.cell.overtime": ", HE {overtime:duration}",
    "email.weekly.cell.double_time": ", HD {double_time:duration}",
    "email.weekly.cell.breaks": ", descansos {breaks:duration}",
    "email.weekly.flag": "{flag:raw} ({days:raw})",
    "email.weekly.footer": (
        "{rules:raw} {rounding:raw} Cada día muestra sus horas trabajadas, con horas extra (HE, 1.5x), horas "
        "dobles (HD, 2x) y descansos cuando los hay. Horas trabajadas = normales + extra + dobles; cada total es "
        "la suma de sus filas tal como se muestran. Las horas son la hora local de cada trabajador. Adjuntos: "
        "horas por trabajador y día en horas decimales, un archivo de nómina para la importación de horas de "
        "Gusto (reembolsos en la moneda de la organización; otras monedas están en el informe de gastos) y el "
        "informe de gastos con enlaces a los recibos (los enlaces vencen en 7 días como máximo)."
    ),
    "email.column.worker": "Trabajador",
    "email.column.first_in": "Primera entrada",
    "email.column.last_out": "Última salida",
    "email.column.on_task": "En tarea",
    "email.column.paid_breaks": "Descansos pagados",
    "email.column.unpaid_breaks": "Descansos sin pagar",
    "email.column.hours_worked": "Horas trabajadas",
    "email.column.overtime": "Horas extra",
    "email.column.flags": "Avisos",
    "email.column.category": "Categoría",
    "email.column.amount": "Monto",
    "email.column.note": "Nota",
    "email.column.receipt": "Recibo",
    "email.column.asks_to": "Pide",
    "email.column.at": "A las",
    "email.column.reason": "Motivo",
    "email.column.waiting": "Esperando",
    "email.column.status": "Estado",
    "email.column.approved": "Aprobado",
    "email.report.reimburse": "A reembolsar (gastos aprobados)",
    "email.report.nothing_to_reimburse": "Nada aprobado.",
    "email.column.since": "Desde",
    "email.column.job": "Obra",
    "email.column.jobs": "Obras",
    "email.column.asked_to": "Pidió",
    "email.column.decision": "Decisión",
    "email.column.by": "Por",
    "email.column.regular": "Normales",
    "email.column.overtime_only": "HE",
    "email.column.double_time": "HD",
    "email.column.breaks": "Descansos",
    "email.column.count": "Cantidad",
    "email.column.reimbursement": "Reembolsado en nómina",
}

FORMATS = Formats(
    time="{hour:02d}:{minute:02d}",
    day_time="{weekday} {day:02d} {month} {hour:02d}:{minute:02d}",
    day="{weekday} {day:02d} {month}",
    day_year="{weekday} {day:02d} {month} {year}",
    weekdays=("lun", "mar", "mie", "jue", "vie", "sab", "dom"),
    months=("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"),
    hours_minutes="{hours}h {minutes:02d}m",
    minutes_only="{minutes}m",
    no_time="?",
    month_year="{month} {year}",
)

LANGUAGE = Language(code="es", replies=REPLIES, problems=PROBLEMS, messages=MESSAGES, words=WORDS, formats=FORMATS)

"""The employee workspace. Paths are Dutch (what people see in the address bar)."""

from django.urls import path

from .views import (
    addresses,
    authentic_sources,
    case_actions,
    case_figures,
    case_pages,
    case_queues,
    case_register,
    case_types,
    contacts,
    digicheck,
    documents,
    home,
    kbo_imports,
    letter_templates,
    letters,
    mail,
    manage,
    parties,
    party_details,
    post_dispatch,
    post_items,
    post_letters,
    post_room,
    privacy,
    retention,
    search,
    signing,
    signing_manage,
    tasks,
    webhooks,
)
from .views.auth import LoginView, LogoutView

app_name = "backoffice"

urlpatterns = [
    path("", home.home, name="home"),
    path("aanmelden", LoginView.as_view(), name="login"),
    path("afmelden", LogoutView.as_view(), name="logout"),
    path("zoeken", search.search, name="search"),
    # Customers (parties)
    path("klanten/nieuw", parties.party_create, name="party_create"),
    path("klanten/gelijkaardig", parties.party_similar, name="party_similar"),
    path("klanten/<uuid:uuid>", parties.party_detail, name="party"),
    path("klanten/<uuid:uuid>/wijzigen", parties.party_edit, name="party_edit"),
    path("klanten/<uuid:uuid>/geschiedenis", parties.party_history, name="party_history"),
    path("klanten/<uuid:uuid>/ophalen", authentic_sources.party_fetch, name="party_fetch"),
    path(
        "klanten/<uuid:uuid>/ophalen/toepassen",
        authentic_sources.party_fetch_apply,
        name="party_fetch_apply",
    ),
    path("klanten/<uuid:uuid>/contactgegeven", party_details.contact_point_add, name="contact_point_add"),
    path("klanten/<uuid:uuid>/adres", party_details.address_add, name="address_add"),
    path("adressen/postcode", addresses.postcode_lookup, name="postcode_lookup"),
    path("klanten/<uuid:uuid>/samenvoegen", party_details.merge_pick, name="merge_pick"),
    path("klanten/<uuid:uuid>/samenvoegen/<uuid:other>", party_details.merge_confirm, name="merge_confirm"),
    path("klanten/<uuid:uuid>/contact", contacts.register_for_party, name="register_for_party"),
    # Contact moments and tasks
    path("contact/nieuw", contacts.register_anonymous, name="register_contact"),
    path("contact/doorgeven", contacts.handoff_fields, name="handoff_fields"),
    path("contact/<uuid:uuid>", contacts.contact_moment_detail, name="contact_moment"),
    path("contact/<uuid:uuid>/antwoord", contacts.answer_in_portal, name="contact_moment_answer"),
    path("taken/<uuid:uuid>", tasks.task_detail, name="task"),
    path("taken/<uuid:uuid>/afwerken", tasks.task_complete, name="task_complete"),
    path("taken/<uuid:uuid>/heropenen", tasks.task_reopen, name="task_reopen"),
    path("taken/<slug:scope>", tasks.task_list, name="tasks"),
    # Management figures (before zaken/<slug:scope>, the queues)
    path("zaken/cijfers", case_figures.case_figures, name="case_figures"),
    path("zaken/cijfers.xlsx", case_figures.case_figures_xlsx, name="case_figures_xlsx"),
    path("zaken/cijfers.csv", case_figures.case_figures_csv, name="case_figures_csv"),
    # Archivist: retention review
    path("archief", retention.retention_list, name="retention_home"),
    path("archief/vernietigd", retention.destroyed_list, name="retention_destroyed"),
    path("archief/vernietigd.csv", retention.destroyed_csv, name="retention_destroyed_csv"),
    path("archief/<slug:lijst>", retention.retention_list, name="retention"),
    # Cases
    path("zaken/nieuw", case_register.case_register, name="case_register"),
    path("zaken/klanten-zoeken", case_pages.case_party_search, name="case_party_search"),
    path("zaken/<uuid:uuid>", case_pages.case_detail, name="case"),
    path("zaken/<uuid:uuid>/nemen", case_queues.case_take, name="case_take"),
    path("zaken/<uuid:uuid>/teruggeven", case_actions.case_give_back, name="case_give_back"),
    path("zaken/<uuid:uuid>/toewijzen", case_actions.case_assign, name="case_assign"),
    path("zaken/<uuid:uuid>/status", case_actions.case_set_status, name="case_set_status"),
    path("zaken/<uuid:uuid>/afsluiten", case_actions.case_close, name="case_close"),
    path("zaken/<uuid:uuid>/heropenen", case_actions.case_reopen, name="case_reopen"),
    path("zaken/<uuid:uuid>/opschorten", case_actions.case_suspend, name="case_suspend"),
    path("zaken/<uuid:uuid>/hervatten", case_actions.case_resume, name="case_resume"),
    path("zaken/<uuid:uuid>/verlengen", case_actions.case_extend, name="case_extend"),
    path("zaken/<uuid:uuid>/termijn", case_actions.case_change_deadline, name="case_change_deadline"),
    path("zaken/<uuid:uuid>/betrokkene", case_actions.case_add_party, name="case_add_party"),
    path("zaken/<uuid:uuid>/kenmerken", case_actions.case_attributes, name="case_attributes"),
    path("zaken/<uuid:uuid>/koppelen", case_actions.case_relate, name="case_relate"),
    path("zaken/<uuid:uuid>/notitie", case_actions.case_add_note, name="case_add_note"),
    path("zaken/<uuid:uuid>/documenten", case_actions.case_attach_document, name="case_attach_document"),
    path(
        "zaken/<uuid:uuid>/documenten/<uuid:document>/versie",
        case_actions.case_document_version,
        name="case_document_version",
    ),
    path(
        "zaken/<uuid:uuid>/taken/<uuid:task>/afwerken",
        case_actions.case_task_complete,
        name="case_task_complete",
    ),
    path(
        "zaken/<uuid:uuid>/taken/<uuid:task>/heropenen",
        case_actions.case_task_reopen,
        name="case_task_reopen",
    ),
    path("zaken/<slug:scope>", case_queues.case_queue, name="cases"),
    # Documents: every download passes a view that checks who asks
    path("documenten/", documents.document_search, name="documents"),
    path("documenten/<uuid:uuid>", documents.document_detail, name="document"),
    path(
        "documenten/<uuid:uuid>/versies/<int:number>", documents.document_download, name="document_download"
    ),
    path(
        "documenten/<uuid:uuid>/versies/<int:number>/tekst-opnieuw",
        documents.document_text_retry,
        name="document_text_retry",
    ),
    # Signing: what waits for me, a document's signing page and its actions
    path("ondertekenen", signing.signing_list, name="signing"),
    path("documenten/<uuid:uuid>/ondertekening", signing.document_signing, name="document_signing"),
    path(
        "documenten/<uuid:uuid>/ondertekening/aanvragen",
        signing.document_request_signing,
        name="document_request_signing",
    ),
    path("ondertekening/<uuid:uuid>/goedkeuren", signing.signing_approve, name="signing_approve"),
    path("ondertekening/<uuid:uuid>/weigeren", signing.signing_refuse, name="signing_refuse"),
    path("ondertekening/<uuid:uuid>/ondertekenen", signing.signing_sign, name="signing_sign"),
    path("ondertekening/<uuid:uuid>/intrekken", signing.signing_withdraw, name="signing_withdraw"),
    path("ondertekening/<uuid:uuid>/valideren", signing.signing_validate, name="signing_validate"),
    path("contact/<uuid:uuid>/zaak", case_register.case_from_contact_moment, name="case_from_contact_moment"),
    # Post register: the post room, the queues, one item
    path("post/postkamer", post_room.post_room, name="post_room"),
    path("post/postkamer/scans", post_room.scan_upload, name="post_scan_upload"),
    path("post/postkamer/batches", post_room.batches, name="post_batches"),
    path("post/postkamer/batches/<uuid:uuid>/opnieuw", post_room.batch_retry, name="post_batch_retry"),
    path("post/scheidingsblad.pdf", post_room.separator_sheet, name="post_separator_sheet"),
    path("post/uitgaand/nieuw", post_room.post_register_outgoing, name="post_register_outgoing"),
    path("post/wachtrij/<slug:scope>", post_items.post_queue, name="post_queue"),
    path("post/<uuid:uuid>", post_items.post_item, name="post_item"),
    path("post/<uuid:uuid>/aanvullen", post_room.post_complete, name="post_complete"),
    path("post/<uuid:uuid>/nemen", post_items.post_take, name="post_take"),
    path("post/<uuid:uuid>/teruggeven", post_items.post_give_back, name="post_give_back"),
    path("post/<uuid:uuid>/toewijzen", post_items.post_assign, name="post_assign"),
    path("post/<uuid:uuid>/status", post_items.post_set_status, name="post_set_status"),
    path("post/<uuid:uuid>/antwoord", post_items.post_register_answer, name="post_register_answer"),
    path("post/<uuid:uuid>/beantwoord", post_items.post_answered, name="post_answered"),
    path("post/<uuid:uuid>/ontvangstmelding", post_items.post_acknowledge, name="post_acknowledge"),
    path("post/<uuid:uuid>/zaak", post_items.post_link_case, name="post_link_case"),
    path("post/<uuid:uuid>/gegevens", post_items.post_details, name="post_details"),
    path("post/<uuid:uuid>/document", post_items.post_add_document, name="post_add_document"),
    # Letters and mass mailings
    path("brieven/reeksen", letters.mailing_list, name="mailings"),
    path("brieven/reeksen/<uuid:uuid>", letters.mailing_detail, name="mailing"),
    path("brieven/reeksen/<uuid:uuid>/opnieuw", letters.mailing_retry, name="mailing_retry"),
    path("brieven/<uuid:uuid>", letters.letter_detail, name="letter"),
    path("brieven/<uuid:uuid>/word", letters.letter_upload_docx, name="letter_upload_docx"),
    # Privacy officer
    path("privacy/inzages", privacy.access_log, name="access_log"),
    path("privacy/inzages.csv", privacy.access_log_csv, name="access_log_csv"),
    path("privacy/wijzigingen", privacy.change_log, name="change_log"),
    path("privacy/wijzigingen.csv", privacy.change_log_csv, name="change_log_csv"),
    path("privacy/raadplegingen", authentic_sources.consultation_log, name="consultation_log"),
    path("privacy/raadplegingen.csv", authentic_sources.consultation_log_csv, name="consultation_log_csv"),
    # Functional administrator (beheer)
    path("beheer/onderwerpen", manage.topic_list, name="manage_topics"),
    path("beheer/onderwerpen/nieuw", manage.topic_create, name="manage_topic_create"),
    path("beheer/onderwerpen/<uuid:uuid>", manage.topic_edit, name="manage_topic"),
    path("beheer/onderwerpen/<uuid:uuid>/actief", manage.topic_active, name="manage_topic_active"),
    path("beheer/medewerkers", manage.employee_list, name="manage_employees"),
    path("beheer/medewerkers/nieuw", manage.employee_create, name="manage_employee_create"),
    path("beheer/medewerkers/<uuid:uuid>", manage.employee_edit, name="manage_employee"),
    path("beheer/medewerkers/<uuid:uuid>/actief", manage.employee_active, name="manage_employee_active"),
    path("beheer/medewerkers/<uuid:uuid>/deblokkeren", manage.employee_unlock, name="manage_employee_unlock"),
    path("beheer/diensten", manage.department_list, name="manage_departments"),
    path("beheer/diensten/nieuw", manage.department_create, name="manage_department_create"),
    path("beheer/diensten/<uuid:uuid>", manage.department_edit, name="manage_department"),
    path("beheer/diensten/<uuid:uuid>/actief", manage.department_active, name="manage_department_active"),
    path("beheer/diensten/<uuid:uuid>/nieuw-team", manage.team_create, name="manage_team_create"),
    path("beheer/teams/<uuid:uuid>", manage.team_edit, name="manage_team"),
    path("beheer/teams/<uuid:uuid>/actief", manage.team_active, name="manage_team_active"),
    # Legal purposes for the authentic sources (beheer)
    path("beheer/doelen", authentic_sources.purpose_list, name="manage_purposes"),
    path("beheer/doelen/nieuw", authentic_sources.purpose_create, name="manage_purpose_create"),
    path("beheer/doelen/<uuid:uuid>", authentic_sources.purpose_edit, name="manage_purpose"),
    path("beheer/doelen/<uuid:uuid>/actief", authentic_sources.purpose_active, name="manage_purpose_active"),
    # The KBO open data's imports (beheer)
    path("beheer/kbo-imports", kbo_imports.kbo_import_list, name="manage_kbo_imports"),
    # Letter templates and blocks (beheer)
    path("beheer/briefsjablonen", letter_templates.template_list, name="manage_letter_templates"),
    path("beheer/briefsjablonen/velden", letter_templates.field_catalogue, name="manage_letter_fields"),
    path(
        "beheer/briefsjablonen/nieuw", letter_templates.template_create, name="manage_letter_template_create"
    ),
    path(
        "beheer/briefsjablonen/<uuid:uuid>", letter_templates.template_detail, name="manage_letter_template"
    ),
    path(
        "beheer/briefsjablonen/<uuid:uuid>/wijzigen",
        letter_templates.template_update,
        name="manage_letter_template_update",
    ),
    path(
        "beheer/briefsjablonen/<uuid:uuid>/nieuwe-versie",
        letter_templates.template_version_upload,
        name="manage_letter_template_version",
    ),
    path(
        "beheer/briefsjablonen/versies/<uuid:uuid>/voorbeeld",
        letter_templates.template_preview,
        name="manage_letter_template_preview",
    ),
    path(
        "beheer/briefsjablonen/versies/<uuid:uuid>/voorbeeld.pdf",
        letter_templates.template_preview_pdf,
        name="manage_letter_template_preview_pdf",
    ),
    path(
        "beheer/briefsjablonen/versies/<uuid:uuid>/bestand",
        letter_templates.template_version_file,
        name="manage_letter_template_file",
    ),
    path("beheer/briefblokken/nieuw", letter_templates.block_create, name="manage_letter_block_create"),
    path("beheer/briefblokken/<uuid:uuid>", letter_templates.block_detail, name="manage_letter_block"),
    path(
        "beheer/briefblokken/<uuid:uuid>/wijzigen",
        letter_templates.block_update,
        name="manage_letter_block_update",
    ),
    path(
        "beheer/briefblokken/<uuid:uuid>/nieuwe-versie",
        letter_templates.block_version_upload,
        name="manage_letter_block_version",
    ),
    path(
        "beheer/briefblokken/versies/<uuid:uuid>/voorbeeld",
        letter_templates.block_preview,
        name="manage_letter_block_preview",
    ),
    path(
        "beheer/briefblokken/versies/<uuid:uuid>/bestand",
        letter_templates.block_version_file,
        name="manage_letter_block_file",
    ),
    # Case types (beheer)
    path("beheer/zaaktypes", case_types.case_type_list, name="manage_case_types"),
    path("beheer/zaaktypes/nieuw", case_types.case_type_create, name="manage_case_type_create"),
    path("beheer/zaaktypes/versies/<uuid:uuid>", case_types.version_detail, name="manage_case_type_version"),
    path(
        "beheer/zaaktypes/versies/<uuid:uuid>/algemeen",
        case_types.version_update,
        name="manage_version_update",
    ),
    path("beheer/zaaktypes/versies/<uuid:uuid>/statussen", case_types.status_add, name="manage_status_add"),
    path(
        "beheer/zaaktypes/versies/<uuid:uuid>/statussen/<int:pk>",
        case_types.status_edit,
        name="manage_status",
    ),
    path(
        "beheer/zaaktypes/versies/<uuid:uuid>/statussen/<int:pk>/verplaatsen",
        case_types.status_move,
        name="manage_status_move",
    ),
    path(
        "beheer/zaaktypes/versies/<uuid:uuid>/statussen/<int:pk>/overgangen",
        case_types.status_transitions,
        name="manage_status_transitions",
    ),
    path(
        "beheer/zaaktypes/versies/<uuid:uuid>/statussen/<int:pk>/taken",
        case_types.checklist_add,
        name="manage_checklist_add",
    ),
    path("beheer/zaaktypes/versies/<uuid:uuid>/rollen", case_types.role_add, name="manage_role_add"),
    path(
        "beheer/zaaktypes/versies/<uuid:uuid>/kenmerken",
        case_types.attribute_add,
        name="manage_attribute_add",
    ),
    path("beheer/zaaktypes/versies/<uuid:uuid>/resultaten", case_types.result_add, name="manage_result_add"),
    path(
        "beheer/zaaktypes/versies/<uuid:uuid>/documenttypes",
        case_types.document_type_add,
        name="manage_document_type_add",
    ),
    path(
        "beheer/zaaktypes/versies/<uuid:uuid>/<slug:part>/<int:pk>/verwijderen",
        case_types.part_remove,
        name="manage_part_remove",
    ),
    path(
        "beheer/zaaktypes/versies/<uuid:uuid>/publiceren", case_types.version_publish, name="manage_publish"
    ),
    path(
        "beheer/zaaktypes/versies/<uuid:uuid>/nieuwe-versie",
        case_types.version_start_draft,
        name="manage_start_draft",
    ),
    # Signing procedures, functions and substitutions (beheer)
    path("beheer/ondertekening", signing_manage.signing_overview, name="manage_signing"),
    path(
        "beheer/ondertekening/procedures/nieuw",
        signing_manage.procedure_create,
        name="manage_signing_procedure_create",
    ),
    path(
        "beheer/ondertekening/procedures/<uuid:uuid>",
        signing_manage.procedure_edit,
        name="manage_signing_procedure",
    ),
    path(
        "beheer/ondertekening/procedures/<uuid:uuid>/actief",
        signing_manage.procedure_active,
        name="manage_signing_procedure_active",
    ),
    path(
        "beheer/ondertekening/procedures/<uuid:uuid>/ondertekenaars",
        signing_manage.signer_add,
        name="manage_signing_signer_add",
    ),
    path(
        "beheer/ondertekening/procedures/<uuid:uuid>/ondertekenaars/<int:pk>/verplaatsen",
        signing_manage.signer_move,
        name="manage_signing_signer_move",
    ),
    path(
        "beheer/ondertekening/procedures/<uuid:uuid>/ondertekenaars/<int:pk>/verwijderen",
        signing_manage.signer_remove,
        name="manage_signing_signer_remove",
    ),
    path(
        "beheer/ondertekening/functies/nieuw",
        signing_manage.function_create,
        name="manage_signing_function_create",
    ),
    path(
        "beheer/ondertekening/functies/<uuid:uuid>",
        signing_manage.function_edit,
        name="manage_signing_function",
    ),
    path(
        "beheer/ondertekening/vervangingen/nieuw",
        signing_manage.substitution_create,
        name="manage_signing_substitution_create",
    ),
    path(
        "beheer/ondertekening/vervangingen/<uuid:uuid>/beeindigen",
        signing_manage.substitution_end,
        name="manage_signing_substitution_end",
    ),
    # Webhooks (beheer)
    path("beheer/webhooks", webhooks.webhook_list, name="manage_webhooks"),
    path("beheer/webhooks/nieuw", webhooks.webhook_create, name="manage_webhook_create"),
    path("beheer/webhooks/<uuid:uuid>", webhooks.webhook_edit, name="manage_webhook"),
    path("beheer/webhooks/<uuid:uuid>/actief", webhooks.webhook_active, name="manage_webhook_active"),
    path("beheer/webhooks/<uuid:uuid>/geheim", webhooks.webhook_new_secret, name="manage_webhook_secret"),
    path(
        "beheer/webhooks/<uuid:uuid>/leveringen",
        webhooks.webhook_deliveries,
        name="manage_webhook_deliveries",
    ),
    path(
        "beheer/webhooks/<uuid:uuid>/leveringen/<uuid:message>/opnieuw",
        webhooks.webhook_resend,
        name="manage_webhook_resend",
    ),
]

# Dispatch of outgoing post (views/post_dispatch.py) and the post room's print batches.
urlpatterns += [
    path("post/<uuid:uuid>/verzenden", post_dispatch.post_dispatch, name="post_dispatch"),
    path("post/<uuid:uuid>/brief", post_letters.post_letter, name="post_letter"),
    path(
        "post/<uuid:uuid>/verzendingen/<uuid:dispatch>/opnieuw",
        post_dispatch.post_dispatch_resend,
        name="post_dispatch_resend",
    ),
    path(
        "post/<uuid:uuid>/verzendingen/<uuid:dispatch>/teruggekomen",
        post_dispatch.post_dispatch_bounce,
        name="post_dispatch_bounce",
    ),
    path("post/printbatches", post_dispatch.print_batches, name="print_batches"),
    path("post/printbatches/<uuid:uuid>", post_dispatch.print_batch, name="print_batch"),
    path("post/printbatches/<uuid:uuid>/pdf", post_dispatch.print_batch_download, name="print_batch_pdf"),
    path(
        "post/printbatches/<uuid:uuid>/verstuurd",
        post_dispatch.print_batch_confirm,
        name="print_batch_confirm",
    ),
]

# Mail out (views/mail.py): writing and answering mails, the sent mails, Beheer › Mailsjablonen.
urlpatterns += [
    path("mail/schrijven", mail.write_mail, name="write_mail"),
    path("mail/verstuurd", mail.sent_mails, name="sent_mails"),
    path("mail/verstuurd/<uuid:uuid>", mail.sent_mail_detail, name="sent_mail_detail"),
    path("mail/verstuurd/<uuid:uuid>/opnieuw", mail.sent_mail_resend, name="sent_mail_resend"),
    path("beheer/mailsjablonen", mail.mail_templates, name="manage_mail_templates"),
    path("beheer/mailsjablonen/nieuw", mail.mail_template_form, name="manage_mail_template_create"),
    path("beheer/mailsjablonen/<uuid:uuid>", mail.mail_template_form, name="manage_mail_template"),
]

# Door access (views/door_access.py): zones and grants, reconciliation; Beheer › Toegangscontrole.
from .views import door_access  # noqa: E402

urlpatterns += [
    path("toegang", door_access.zones, name="door_zones"),
    path("toegang/zones/<uuid:uuid>", door_access.zone_grants, name="door_zone"),
    path("toegang/rechten/<uuid:uuid>/opnieuw", door_access.grant_resend, name="door_grant_resend"),
    path("toegang/afstemmingen", door_access.reconciliations, name="door_reconciliations"),
    path("toegang/afstemmingen/<uuid:uuid>", door_access.reconciliation, name="door_reconciliation"),
    path("beheer/toegang", door_access.manage, name="manage_door_access"),
    path(
        "beheer/toegang/controllers/nieuw", door_access.controller_form, name="manage_door_controller_create"
    ),
    path(
        "beheer/toegang/controllers/<uuid:uuid>", door_access.controller_form, name="manage_door_controller"
    ),
    path("beheer/toegang/zones/nieuw", door_access.zone_form, name="manage_door_zone_create"),
    path("beheer/toegang/zones/<uuid:uuid>", door_access.zone_form, name="manage_door_zone"),
]

# Complaints (views/complaints.py): the coordinator's board, intake, one complaint, the annual report.
from .views import complaints  # noqa: E402

urlpatterns += [
    path("klachten/", complaints.complaint_board, name="complaints"),
    path("klachten/nieuw", complaints.complaint_register, name="complaint_register"),
    path("klachten/jaarverslag", complaints.complaint_report, name="complaint_report"),
    path(
        "klachten/jaarverslag/<int:year>.<str:kind>",
        complaints.complaint_report_file,
        name="complaint_report_file",
    ),
    path("klachten/<uuid:uuid>", complaints.complaint_detail, name="complaint"),
    path("klachten/<uuid:uuid>/<str:step>", complaints.complaint_step, name="complaint_step"),
]

# Payments and the cash register (views/payments.py).
from .views import payments  # noqa: E402

urlpatterns += [
    path("betalingen", payments.order_list, name="payment_orders"),
    path("betalingen/<uuid:uuid>", payments.order_detail, name="payment_order"),
    path("betalingen/<uuid:uuid>/factuur.pdf", payments.order_invoice, name="payment_invoice"),
    path("betalingen/<uuid:uuid>/online", payments.order_pay_online, name="payment_online"),
    path("betalingen/<uuid:uuid>/terugbetalen", payments.order_refund, name="payment_refund"),
    path("betalingen/<uuid:uuid>/annuleren", payments.order_cancel, name="payment_cancel"),
    path("kassa", payments.register_home, name="register_home"),
    path("kassa/<uuid:uuid>", payments.register_session, name="register_session"),
    path("kassa/<uuid:uuid>/afsluiten", payments.register_close, name="register_close"),
    path("kassa/<uuid:uuid>/aftekenen", payments.register_sign_off, name="register_sign_off"),
    path("kassa/kasticket/<uuid:uuid>.pdf", payments.receipt_download, name="register_receipt"),
    path("betalingen/bank", payments.bank_import, name="bank_import"),
    path("betalingen/bank/niet-gekoppeld", payments.bank_unmatched, name="bank_unmatched"),
    path("betalingen/bank/<uuid:uuid>", payments.bank_statement, name="bank_statement"),
]

# Room booking (views/rooms.py) and its calendars without a login (views/room_calendars.py).
from .views import room_calendars, rooms  # noqa: E402

urlpatterns += [
    path("zalen/planning", rooms.planning, name="room_planning"),
    path("zalen/balieboeking", rooms.counter_booking, name="room_counter_booking"),
    path("zalen/goedkeuren", rooms.approvals, name="room_approvals"),
    path("zalen/cijfers", rooms.figures, name="room_figures"),
    path("zalen/oslo.jsonld", rooms.oslo_export, name="room_oslo"),
    path("zalen/boekingen/<uuid:uuid>", rooms.booking_detail, name="room_booking"),
    path("zalen/boekingen/<uuid:uuid>/verplaatsen", rooms.booking_move, name="room_booking_move"),
    path(
        "zalen/boekingen/<uuid:uuid>/status/<slug:status>", rooms.booking_status, name="room_booking_status"
    ),
    path("zalen/agenda/zaal/<str:token>.ics", room_calendars.room_feed, name="room_feed"),
    path("zalen/agenda/boeker/<str:token>.ics", room_calendars.booker_feed, name="booker_feed"),
    path("zalen/<uuid:uuid>/beschikbaarheid", room_calendars.availability_page, name="room_availability"),
    path(
        "zalen/<uuid:uuid>/beschikbaarheid.ics",
        room_calendars.availability_feed,
        name="room_availability_feed",
    ),
]

# Digicheck (views/digicheck.py): taking the check, results, training plans, HR's pages.
urlpatterns += [
    path("digicheck/", digicheck.home, name="digicheck"),
    path("digicheck/<uuid:uuid>/starten", digicheck.start, name="digicheck_start"),
    path("digicheck/afname/<uuid:uuid>/stap/<int:position>", digicheck.step, name="digicheck_step"),
    path(
        "digicheck/afname/<uuid:uuid>/oefenbestand",
        digicheck.practice_download,
        name="digicheck_practice_file",
    ),
    path("digicheck/afname/<uuid:uuid>/indienen", digicheck.submit, name="digicheck_submit"),
    path("digicheck/afname/<uuid:uuid>/opnieuw", digicheck.restart, name="digicheck_restart"),
    path("digicheck/afname/<uuid:uuid>/resultaat", digicheck.result, name="digicheck_result"),
    path("digicheck/afname/<uuid:uuid>/beoordelen", digicheck.evaluate, name="digicheck_evaluate"),
    path(
        "digicheck/afname/<uuid:uuid>/opleidingsplan", digicheck.plan_generate, name="digicheck_plan_generate"
    ),
    path("digicheck/medewerkers/<uuid:uuid>", digicheck.employee_page, name="digicheck_employee"),
    path("digicheck/opleidingsplannen/<uuid:uuid>", digicheck.plan, name="digicheck_plan"),
    path("digicheck/cijfers", digicheck.figures, name="digicheck_figures"),
    path("digicheck/cijfers.xlsx", digicheck.figures_xlsx, name="digicheck_figures_xlsx"),
    path("digicheck/beheer", digicheck.manage, name="digicheck_manage"),
    path("digicheck/beheer/profiel-toekennen", digicheck.assign_profile, name="digicheck_assign_profile"),
    path("digicheck/beheer/versies/<uuid:uuid>", digicheck.version_page, name="digicheck_version"),
    path("digicheck/beheer/functieprofielen", digicheck.job_profiles, name="digicheck_job_profiles"),
    path(
        "digicheck/beheer/functieprofielen/<uuid:uuid>", digicheck.job_profile, name="digicheck_job_profile"
    ),
    path("digicheck/beheer/opleidingen", digicheck.training_catalogue, name="digicheck_trainings"),
]

# Mail in (views/mail.py): the mailboxes' state, the triage inbox, one mail, a dropped .eml / .msg.
urlpatterns += [
    path("mail/mailboxen", mail.mailboxes, name="mailboxes"),
    path("mail/triage", mail.triage, name="mail_triage"),
    path("mail/<uuid:uuid>", mail.mail_detail, name="mail_detail"),
    path("mail/<uuid:uuid>/plaatsen", mail.mail_assign, name="mail_assign"),
    path("zaken/<uuid:uuid>/mail", mail.case_drop_mail, name="case_drop_mail"),
    path("klanten/<uuid:uuid>/mail", mail.party_drop_mail, name="party_drop_mail"),
]

# Reports (meldingen): intake, the map, the report page and its actions, stuck work orders, and
# the category tree with routing rules (views/reports.py).
from .views import reports as report_views  # noqa: E402

urlpatterns += [
    path("meldingen/", report_views.report_map, name="reports"),
    path("meldingen/nieuw", report_views.report_register, name="report_register"),
    path("meldingen/werkorders", report_views.work_orders_stuck, name="report_work_orders"),
    path("meldingen/<uuid:uuid>", report_views.report_detail, name="report"),
    path("meldingen/<uuid:uuid>/status", report_views.report_status, name="report_status"),
    path("meldingen/<uuid:uuid>/dubbel", report_views.report_duplicate, name="report_duplicate"),
    path("meldingen/<uuid:uuid>/doorsturen", report_views.report_forward, name="report_forward"),
    path("meldingen/<uuid:uuid>/opnieuw-versturen", report_views.report_resend, name="report_resend"),
    path("meldingen/<uuid:uuid>/heropening", report_views.report_ask_reopen, name="report_ask_reopen"),
    path(
        "meldingen/<uuid:uuid>/heropening/<uuid:request_id>",
        report_views.report_decide_reopen,
        name="report_decide_reopen",
    ),
    path("meldingen/<uuid:uuid>/jsonld", report_views.report_jsonld, name="report_jsonld"),
    path("beheer/meldingscategorieen", report_views.manage_categories, name="manage_report_categories"),
    path(
        "beheer/meldingscategorieen/regels",
        report_views.manage_routing_rule_add,
        name="manage_routing_rule_add",
    ),
    path(
        "beheer/meldingscategorieen/regels/<uuid:uuid>/weg",
        report_views.manage_routing_rule_remove,
        name="manage_routing_rule_remove",
    ),
]

# Cash refunds at the register (views/payments.py, rooms-board).
urlpatterns += [
    path("kassa/<uuid:uuid>/terugbetalen", payments.register_refund, name="register_refund"),
]

# A mailbox's rules and sender lists, for the functional administrator (views/mail.py).
urlpatterns += [
    path("beheer/mailboxen/<uuid:uuid>/regels", mail.mailbox_rules, name="manage_mailbox_rules"),
]

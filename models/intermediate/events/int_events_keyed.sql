{#-
    One row per staged page or track call, bots and internal users included, with the user it
    belongs to: user_key = its own user_id; else the first user_id linked to its anonymous_id
    (int_anonymous_ids_linked, so anonymous history before signup belongs to the user); else
    its anonymous_id. timeline_key is the device (anonymous_id), or "user:<user_id>" for
    server-side calls that carry no anonymous_id.
-#}
{{ keyed_events() }}

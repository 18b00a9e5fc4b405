{#-
    The keyed hash of a normalized email (see parse_email): sha256 of the secret followed by
    the email, as 64 lowercase hex digits; null when the email is null. Without the secret a
    list of emails cannot be matched to the hashes (an unkeyed hash can: hash the list).
    The secret is the environment variable GROWTH_HASH_SECRET. When it is unset or empty, a
    target listed in var('dev_targets') uses var('dev_email_hash_key'), a fixed key that is not
    secret (for demos and tests); any other target stops with a compile error. The key is
    written into the compiled SQL: keep the target directory and dbt's logs as private as the
    warehouse credentials.
-#}
{% macro email_hash(normalized_email) -%}
    {%- set key = env_var('GROWTH_HASH_SECRET', '') -%}
    {%- if key == '' -%}
        {%- if target.name in var('dev_targets') -%}
            {%- set key = var('dev_email_hash_key') -%}
        {%- elif execute -%}
            {{ exceptions.raise_compiler_error(
                "The environment variable GROWTH_HASH_SECRET is not set, and target '"
                ~ target.name ~ "' is not a development target (var dev_targets: "
                ~ var('dev_targets') | join(', ') ~ "). email_hash is a keyed hash: set "
                ~ "GROWTH_HASH_SECRET to a long random secret (the same on every run, or the "
                ~ "hashes change), e.g. export GROWTH_HASH_SECRET=$(openssl rand -hex 32)."
            ) }}
        {%- endif -%}
    {%- endif -%}
    case
        when {{ normalized_email }} is not null
            then {{ sha256_hex(dbt.concat(["'" ~ (key | replace("'", "''")) ~ "'", normalized_email])) }}
    end
{%- endmacro %}

{#-
    The end of a base model's `source` CTE that leaves out the raw rows of erased identities
    (stg_privacy__erased_identities): a row goes when any of its `id_columns` (anonymous_id,
    user_id), cleaned as staging cleans it, is an erased identity of that type. Written after
    raw_rows_to_reprocess, whose where clause (incremental runs only) it continues; a model
    without one (a table rebuilt whole) gets a where clause of its own. A raw table without one
    of the columns (Segment's "one of" identity columns) is not tested on it.

    Such rows are neither staged nor quarantined: the row accounting counts them as erased.
    Left out of the base models' unit tests (their inputs would all need the erased
    identities); pytests/test_erasure.py erases through every base model.
-#}
{% macro erased_rows_left_out(raw_relation, id_columns, after_reprocess=true) -%}
    {%- if model.resource_type == 'unit_test' -%}
        {{ return('') }}
    {%- endif -%}
    {%- set present = raw_identity_columns(raw_relation, id_columns) -%}
    {%- if not present -%}
        {{ return('') }}
    {%- endif -%}
    {{ 'and' if (after_reprocess and is_incremental()) else 'where' }}
    {%- for column in present %}
        {{ 'and ' if not loop.first }}{{ identity_not_erased(column, column) }}
    {%- endfor %}
{%- endmacro %}

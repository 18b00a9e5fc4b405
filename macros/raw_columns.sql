{#-
    The columns a base model reads from its raw table, adapted to what the table has: the
    raw-table contract is the source's columns in the sources YAML, each with a data_type
    (text, timestamp, number or date: what the column means, not how the warehouse stores it)
    and meta.requirement (required; "one of <group>": at least one column of the group; none:
    optional). Read at run time from the warehouse (adapter.get_columns_in_relation):

    - a missing optional column is selected as a typed null, so that the model reads the same
      columns whatever the table has (Segment adds a column when a source first sends it);
    - a missing required column, a group with none of its columns, or a column whose type
      cannot hold its meaning (a number or boolean for a time, a boolean for a number) stops
      the build with a message naming the table, the column, what was found and what is
      expected. Time columns may be timestamps, dates or ISO 8601 text; epoch numbers are not
      accepted (see README, "Raw tables").

    Returns {'select': the select list (each contract column, as itself or a typed null),
    'types': {column: data type as stored, or the null's type}} for try_cast_timestamp.
    While dbt parses, in unit tests (whose inputs have every column of the table), and when
    a command other than run or build compiles it without the raw table, it selects `*`.
-#}
{% macro raw_columns(source_name, table_name) -%}
    {%- if not execute or model.resource_type == 'unit_test' -%}
        {{ return({'select': '*', 'types': {}}) }}
    {%- endif -%}
    {%- set contract = raw_contract(source_name, table_name) -%}
    {%- set relation = raw_table(source_name, table_name) -%}
    {%- set found = {} -%}
    {%- for column in adapter.get_columns_in_relation(relation) -%}
        {%- do found.update({column.name | lower: column.data_type | lower}) -%}
    {%- endfor -%}
    {%- if not found and flags.WHICH not in ('run', 'build') -%}
        {#- Compiled without the raw table (dbt compile, the linter): nothing to adapt to. -#}
        {{ return({'select': '*', 'types': {}}) }}
    {%- endif -%}
    {%- do check_raw_columns(source_name ~ '.' ~ table_name, relation, contract, found) -%}
    {%- set selected = [] -%}
    {%- set types = {} -%}
    {%- for column in contract -%}
        {%- set quoted = adapter.quote(column.name) -%}
        {%- if column.name in found -%}
            {%- set stored = found[column.name] -%}
            {%- do types.update({column.name: stored}) -%}
            {%- if column.data_type == 'text' and raw_type_family(stored) != 'text' -%}
                {%- do selected.append(
                    'cast(' ~ quoted ~ ' as ' ~ dbt.type_string() ~ ') as ' ~ quoted
                ) -%}
            {%- else -%}
                {%- do selected.append(quoted) -%}
            {%- endif -%}
        {%- else -%}
            {%- set null_type = raw_null_type(column.data_type) -%}
            {%- do types.update({column.name: null_type | lower}) -%}
            {%- do selected.append('cast(null as ' ~ null_type ~ ') as ' ~ quoted) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return({'select': selected | join(',\n        '), 'types': types}) }}
{%- endmacro %}

{#- The contract of one raw table: [{name, data_type, requirement}], from the sources YAML. -#}
{% macro raw_contract(source_name, table_name) -%}
    {%- set source_id = 'source.' ~ project_name ~ '.' ~ source_name ~ '.' ~ table_name -%}
    {%- set columns = [] -%}
    {%- for column in graph.sources[source_id].columns.values() -%}
        {%- set meta = column.get('config', {}).get('meta', {}) or column.get('meta', {}) -%}
        {%- do columns.append({
            'name': column.name | lower,
            'data_type': (column.data_type or 'text') | lower,
            'requirement': meta.get('requirement', 'optional'),
        }) -%}
    {%- endfor -%}
    {{ return(columns) }}
{%- endmacro %}

{#- What a stored type can hold: text, number, boolean, timestamp, date or other. -#}
{% macro raw_type_family(data_type) -%}
    {%- set data_type = data_type | lower -%}
    {%- if data_type.startswith('timestamp') or data_type.startswith('datetime') -%}
        {{ return('timestamp') }}
    {%- elif data_type == 'date' -%}
        {{ return('date') }}
    {%- elif data_type in ('boolean', 'bool') -%}
        {{ return('boolean') }}
    {%- elif 'char' in data_type or 'text' in data_type or 'string' in data_type -%}
        {{ return('text') }}
    {%- elif 'int' in data_type or data_type.startswith('numeric')
        or data_type.startswith('decimal') or data_type in ('double', 'double precision',
        'float', 'real', 'float4', 'float8', 'number') -%}
        {{ return('number') }}
    {%- endif -%}
    {{ return('other') }}
{%- endmacro %}

{#- The SQL type of the null that stands for a missing optional column of a meaning. -#}
{% macro raw_null_type(data_type) -%}
    {%- if data_type == 'timestamp' -%}
        {{ return(dbt.type_timestamp()) }}
    {%- elif data_type == 'number' -%}
        {{ return(dbt.type_numeric()) }}
    {%- elif data_type == 'date' -%}
        {{ return('date') }}
    {%- endif -%}
    {{ return(dbt.type_string()) }}
{%- endmacro %}

{#- Stops the build when the table lacks a required column or stores one in a type that
    cannot hold its meaning; see raw_columns. -#}
{% macro check_raw_columns(table_key, relation, contract, found) -%}
    {%- set where = table_key ~ ' (' ~ relation ~ ')' -%}
    {%- set hint = 'See the README, "Raw tables", for the columns each raw table needs.' -%}
    {%- if not found -%}
        {%- do exceptions.raise_compiler_error(
            'Raw table ' ~ where ~ ' was not found, or has no columns. Check the vars '
            ~ table_key.split('.')[0] ~ '_database and ' ~ table_key.split('.')[0]
            ~ '_schema. ' ~ hint
        ) -%}
    {%- endif -%}
    {%- set accepted = {
        'text': ['text', 'number', 'boolean', 'timestamp', 'date', 'other'],
        'timestamp': ['timestamp', 'date', 'text'],
        'date': ['date', 'timestamp', 'text'],
        'number': ['number', 'text'],
    } -%}
    {%- set expected = {
        'timestamp': 'a timestamp, a date or ISO 8601 text (epoch numbers are not accepted)',
        'date': 'a date, a timestamp or ISO 8601 text',
        'number': 'a number or numeric text',
    } -%}
    {%- set groups = {} -%}
    {%- for column in contract -%}
        {%- if column.name in found -%}
            {%- set family = raw_type_family(found[column.name]) -%}
            {%- if family not in accepted.get(column.data_type, accepted['text']) -%}
                {%- do exceptions.raise_compiler_error(
                    'Raw column ' ~ table_key ~ '.' ~ column.name ~ ' in ' ~ relation
                    ~ ' is ' ~ found[column.name] ~ '; it holds a ' ~ column.data_type
                    ~ ', so it must be ' ~ expected[column.data_type]
                    ~ '. Convert it in the warehouse (a view over the table) and point the '
                    ~ 'source at that. ' ~ hint
                ) -%}
            {%- endif -%}
        {%- elif column.requirement == 'required' -%}
            {%- do exceptions.raise_compiler_error(
                'Raw table ' ~ where ~ ' has no column ' ~ column.name ~ ', which is required ('
                ~ column.data_type ~ '). Columns found: ' ~ (found.keys() | sort | join(', '))
                ~ '. ' ~ hint
            ) -%}
        {%- endif -%}
        {%- if column.requirement.startswith('one of ') -%}
            {%- set members = groups.setdefault(column.requirement[7:], []) -%}
            {%- do members.append(column.name) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for group, members in groups.items() -%}
        {%- if not (members | select('in', found) | list) -%}
            {%- do exceptions.raise_compiler_error(
                'Raw table ' ~ where ~ ' has none of the columns ' ~ (members | join(', '))
                ~ ' (' ~ group ~ '); at least one is required. Columns found: '
                ~ (found.keys() | sort | join(', ')) ~ '. ' ~ hint
            ) -%}
        {%- endif -%}
    {%- endfor -%}
{%- endmacro %}

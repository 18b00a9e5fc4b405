{#-
    The five UTM columns of a Segment call: each taken from context_campaign_<field> (what the
    library captured) or, where that is null or blank, parsed from the page URL's query string.
    Values are trimmed and lowercased so that "Google" and "google" are one source. The URL
    is parsed only where it contains the parameter's name (a cheap LIKE first: parsing every
    URL was a third of the staging time).
-#}
{% macro utm_columns(url) -%}
    {%- set fields = {
        'source': 'utm_source',
        'medium': 'utm_medium',
        'name': 'utm_campaign',
        'term': 'utm_term',
        'content': 'utm_content',
    } -%}
    {%- for campaign_field, utm_field in fields.items() %}
    lower(coalesce(
        {{ clean_text('context_campaign_' ~ campaign_field) }},
        case
            when {{ url }} like '%{{ utm_field }}=%'
                then trim({{ url_parameter(clean_text(url), utm_field) }})
        end
    )) as {{ utm_field }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}

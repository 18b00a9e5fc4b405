-- url_parameter and url_path: each URL with its hand-written expected values. Returns mismatches.
with cases as (
    select cases_table.* from (
        values
        ('https://x.example/a?utm_source=google&utm_medium=cpc', 'utm_source', 'google', '/a'),
        ('https://x.example/a?utm_source=google&utm_medium=cpc', 'utm_medium', 'cpc', '/a'),
        ('https://x.example/?xutm_source=bad&utm_source=good', 'utm_source', 'good', '/'),
        ('https://x.example/?xutm_source=bad', 'utm_source', null, '/'),
        (
            'https://x.example/?utm_source=caf%C3%A9+%22spring%22',
            'utm_source',
            'café "spring"',
            '/'
        ),
        ('https://x.example/?utm_source=bad%E9escape', 'utm_source', 'bad%E9escape', '/'),
        ('https://x.example/?utm_source=100%25+off%zz', 'utm_source', '100% off%zz', '/'),
        (
            'https://x.example/p/1?utm_campaign=spring+sale%20now#top',
            'utm_campaign',
            'spring sale now',
            '/p/1'
        ),
        ('https://x.example/p/1?utm_campaign=#top', 'utm_campaign', null, '/p/1'),
        ('https://x.example/p/1#utm_source=frag', 'utm_source', null, '/p/1'),
        ('https://x.example', 'utm_source', null, null),
        ('not a url', 'utm_source', null, null),
        (null, 'utm_source', null, null)
    ) as cases_table (url, parameter_name, expected_value, expected_path)
),

checked as (
    select
        url,
        parameter_name,
        expected_value,
        expected_path,
        case parameter_name
            when 'utm_source' then {{ url_parameter('url', 'utm_source') }}
            when 'utm_medium' then {{ url_parameter('url', 'utm_medium') }}
            when 'utm_campaign' then {{ url_parameter('url', 'utm_campaign') }}
        end as actual_value,
        {{ url_path('url') }} as actual_path
    from cases
),

final as (
    select * from checked
    where
        actual_value is distinct from expected_value
        or actual_path is distinct from expected_path
)

select * from final

-- The benchmark estate of shared BUDGETS.md, deterministic (fixed seed):
-- 1 community, 3 estates, 40 courtyards, 120 buildings, 5,000 units,
-- 7,500 users (verified members), 5,000 issues (half with a pin), 50,000
-- comments, supports. Votes, tasks and fund entries join it as those
-- capabilities land. Run on an empty, migrated database (npm run bench:seed).
start transaction;
select setseed(0.42);

insert into public.communities (id, name, district) values ('b0000000-0000-4000-8000-000000000001', '基准社区', '基准区');
insert into public.estates (id, community_id, name, map_mode, center_lat, center_lng, zoom, board_public)
select ('b0000000-0000-4000-8000-00000000010' || e)::uuid, 'b0000000-0000-4000-8000-000000000001', '基准小区' || e,
  'geographic', 31.3 + e * 0.01, 120.6, 17, false
from generate_series(1, 3) e;

-- 40 courtyards (14/13/13) as 0.002° squares, 3 buildings in each.
create temporary table bench_courtyards as
select c, ('b0000000-0000-4000-8000-00000000010' || (1 + (c - 1) % 3))::uuid as estate_id,
  120.6 + ((c - 1) / 3) * 0.003 as x0, 31.3 + (1 + (c - 1) % 3) * 0.01 as y0
from generate_series(1, 40) c;
insert into public.areas (id, estate_id, kind, name, geometry)
select md5('court' || c)::uuid, estate_id, 'courtyard', c || '区',
  jsonb_build_object('type', 'Polygon', 'coordinates', jsonb_build_array(jsonb_build_array(
    jsonb_build_array(x0, y0), jsonb_build_array(x0 + 0.002, y0), jsonb_build_array(x0 + 0.002, y0 + 0.002),
    jsonb_build_array(x0, y0 + 0.002), jsonb_build_array(x0, y0))))
from bench_courtyards;
insert into public.areas (id, estate_id, parent_id, kind, name, geometry)
select md5('bld' || c || '-' || b)::uuid, estate_id, md5('court' || c)::uuid, 'building', c || '区' || b || '栋',
  jsonb_build_object('type', 'Polygon', 'coordinates', jsonb_build_array(jsonb_build_array(
    jsonb_build_array(x0 + 0.0002 + (b - 1) * 0.0006, y0 + 0.0005), jsonb_build_array(x0 + 0.0006 + (b - 1) * 0.0006, y0 + 0.0005),
    jsonb_build_array(x0 + 0.0006 + (b - 1) * 0.0006, y0 + 0.0015), jsonb_build_array(x0 + 0.0002 + (b - 1) * 0.0006, y0 + 0.0015),
    jsonb_build_array(x0 + 0.0002 + (b - 1) * 0.0006, y0 + 0.0005))))
from bench_courtyards, generate_series(1, 3) b;

-- 5,000 units over the 120 buildings (41 or 42 each).
insert into public.units (id, estate_id, building_id, entrance, room, floor_area)
select md5('unit' || u)::uuid, a.estate_id, a.id, '', (100 + u / 120)::text || '-' || (u % 120), round((50 + random() * 90)::numeric, 2)
from generate_series(0, 4999) u
join lateral (select id, estate_id from public.areas where kind = 'building' order by name offset (u % 120) limit 1) a on true;

-- 7,500 users: verified members, spread over the estates; every 50th on the committee.
-- Only bench3 (a resident) and bench150 (committee) of estate 1 can sign in: hashing 7,500 passwords would dominate the seed.
insert into auth.users (id, email, encrypted_password, raw_user_meta_data)
select md5('user' || i)::uuid, 'bench' || i || '@bench.linyi.org',
  case when i in (3, 150) then extensions.crypt('bench-password', extensions.gen_salt('bf', 6)) end,
  jsonb_build_object('display_name', '居民' || i)
from generate_series(1, 7500) i;
insert into public.memberships (estate_id, user_id, status, unit_id, roles, decided_at)
select ('b0000000-0000-4000-8000-00000000010' || (1 + i % 3))::uuid, md5('user' || i)::uuid, 'verified',
  case when i <= 5000 then md5('unit' || (i - 1))::uuid end,
  case when i % 50 = 0 then array['committee'] when i % 50 = 1 then array['moderator'] else '{}' end, now()
from generate_series(1, 7500) i;
update public.memberships m set unit_id = null where unit_id is not null
  and not exists (select 1 from public.units u where u.id = m.unit_id and u.estate_id = m.estate_id);

-- 5,000 issues, all in estate 1 and all with a point inside their building: the map budget is for 5,000 pins.
insert into public.issues (id, estate_id, area_id, point_x, point_y, category, title, body, status, author_id, created_at, last_activity_at)
select md5('issue' || i)::uuid, a.estate_id, a.id,
  (a.geometry -> 'coordinates' -> 0 -> 0 ->> 0)::numeric + 0.0001 + (i % 3) * 0.0001,
  (a.geometry -> 'coordinates' -> 0 -> 0 ->> 1)::numeric + 0.0002 + (i % 7) * 0.0001,
  (array['facilities', 'greening', 'sanitation', 'parking', 'safety', 'elderly_children', 'dogs', 'renovation', 'other'])[1 + i % 9],
  (array['东门长椅坏了', '电动车充电棚', '垃圾分类点太臭', '楼道灯不亮', '停车位不够', '小孩游乐设施生锈', '遛狗不牵绳', '加装电梯', '绿化带被踩坏'])[1 + i % 9] || ' 第' || i || '号',
  '基准数据：说明文字。', (array['proposed', 'proposed', 'accepted', 'deliberating', 'in_progress', 'following_up', 'proposed', 'accepted', 'deliberating', 'completed'])[1 + i % 10],
  md5('user' || (1 + (i * 7) % 7500))::uuid, now() - (i || ' minutes')::interval, now() - (i || ' minutes')::interval
from generate_series(1, 5000) i
join lateral (select id, estate_id, geometry from public.areas where kind = 'building'
  and estate_id = 'b0000000-0000-4000-8000-000000000101'::uuid
  order by name offset (i % 42) limit 1) a on true;

-- 50,000 comments: 200 on the first issue (for the issue page budget), the rest spread.
insert into public.comments (issue_id, author_id, stance, body, created_at)
select md5('issue' || case when c <= 200 then 1 else 1 + c % 5000 end)::uuid, md5('user' || (1 + c % 7500))::uuid,
  (array['support', 'oppose', 'concern', 'suggestion', 'question'])[1 + c % 5], '基准评论 ' || c, now() - (c || ' seconds')::interval
from generate_series(1, 50000) c;

-- Supports: a few per issue.
insert into public.issue_supports (issue_id, user_id)
select md5('issue' || i)::uuid, md5('user' || (1 + (i * 13 + s) % 7500))::uuid
from generate_series(1, 5000) i, generate_series(1, 1 + i % 5) s
on conflict do nothing;

commit;

-- ============================================================================
-- Demo data: 横塘社区 with two estates, their maps and unit registers, and one
-- demo account per role. Runs once, after the migrations, on a fresh
-- database: the app loads it on first start in the embedded and postgres
-- modes (unless DEMO=off); on Supabase run it with `psql -f supabase/seed.sql`
-- or as the Supabase CLI seed. Plain SQL, run as the database owner
-- (superuser locally, postgres on Supabase). Everything is deterministic: no
-- random(), so every demo database is the same.
--
-- Fixed ids, for tests and docs:
--   community 横塘社区        5eed0000-0000-4000-8000-000000000001
--   estate 晋源水岸花苑        5eed0000-0000-4000-8000-000000000101  (geographic, WGS-84)
--   estate 采莲新村            5eed0000-0000-4000-8000-000000000102  (site plan, /plans/cailian.svg)
--   resident@demo.linyi.org   5eed0000-0000-4000-8000-000000001001  居民 王阿姨     linyi-resident-2026
--   owner@demo.linyi.org      5eed0000-0000-4000-8000-000000001002  业主 李先生     linyi-owner-2026
--   volunteer@demo.linyi.org  5eed0000-0000-4000-8000-000000001003  志愿者 小陈     linyi-volunteer-2026
--   moderator@demo.linyi.org  5eed0000-0000-4000-8000-000000001004  主持人 赵老师   linyi-moderator-2026
--   committee@demo.linyi.org  5eed0000-0000-4000-8000-000000001005  居委会 周主任   linyi-committee-2026
--   party@demo.linyi.org      5eed0000-0000-4000-8000-000000001006  党员 孙师傅     linyi-party-2026
--   admin@demo.linyi.org      5eed0000-0000-4000-8000-000000001007  社工 刘老师     linyi-admin-2026
--   applicant1..3@demo.linyi.org  …1011, …1012, …1013  (pending requests)  linyi-applicant-2026
--   issue 南苑中心花园增设休息座椅的位置   5eed0000-0000-4000-8000-000000002001  (approved by the vote below)
--   vote 新座椅放在中心花园的哪一处？      5eed0000-0000-4000-8000-000000003001  (closed consultation, 凉亭周围 won)
--   issues of 晋源水岸花苑 over the past year  5eed0000-0000-4000-8000-000000002002 … 2016  (10 completed, 3 following up, 2 open)
--   issue 东苑增设公共晾衣架 5eed0000-0000-4000-8000-000000002017  (publicized: its decision's window is open, 4001)
--   publications (公示)  …4001 (open, one objection answered)  …4002 (the charging shed …2004, amended once, final)
-- These passwords are public: never load this file into a production database.
-- ============================================================================

-- All or nothing. Spelled `start transaction`, not `begin`: postgres.js (the
-- postgres mode, which runs this file as one simple query on a pooled
-- connection) refuses any statement whose completion tag is BEGIN. The commit
-- is in the same query, so the connection is back out of the transaction when
-- the script ends.
start transaction;

-- ----------------------------------------------------------------------------
-- Helpers for this script only; dropped at the end.
-- ----------------------------------------------------------------------------

/** A rectangle as a GeoJSON Polygon, corners (x0, y0) and (x1, y1), ring closed. */
create function pg_temp.rect(x0 numeric, y0 numeric, x1 numeric, y1 numeric) returns jsonb
language sql immutable as $$
  select jsonb_build_object('type', 'Polygon', 'coordinates', jsonb_build_array(jsonb_build_array(
    jsonb_build_array(x0, y0), jsonb_build_array(x1, y0), jsonb_build_array(x1, y1),
    jsonb_build_array(x0, y1), jsonb_build_array(x0, y0))))
$$;

/**
 * A rectangle given in metres east (x) and north (y) of 晋源水岸花苑's centre,
 * as WGS-84 [lng, lat]: at latitude 31.29° one metre is 1/110900° of latitude
 * and 1/95100° of longitude. Six decimals are about 0.1 m.
 */
create function pg_temp.metres_rect(x0 numeric, y0 numeric, x1 numeric, y1 numeric) returns jsonb
language sql immutable as $$
  select pg_temp.rect(round(120.578600 + x0 / 95100, 6), round(31.290400 + y0 / 110900, 6),
                      round(120.578600 + x1 / 95100, 6), round(31.290400 + y1 / 110900, 6))
$$;

/**
 * The n-th person's name (n from 0 to 1199), from 30 surnames and 40 given names.
 * Multiplying by 389, which shares no factor with 1200, shuffles the order
 * without repeating a name, so neighbours do not all share a surname.
 */
create function pg_temp.person_name(n integer) returns text
language sql immutable as $$
  select (array['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '朱', '胡', '沈',
                '顾', '陆', '钱', '蒋', '许', '严', '金', '潘', '姚', '吕', '范', '施', '戴', '曹', '邹'])[1 + k % 30]
      || (array['建国', '秀英', '志强', '桂英', '美华', '国平', '丽娟', '文斌', '玉兰', '海峰',
                '晓燕', '伟民', '雪芬', '建华', '春梅', '永康', '凤英', '振东', '慧敏', '德明',
                '佩芳', '国强', '月娥', '小龙', '丽萍', '金根', '红梅', '宏伟', '素珍', '家豪',
                '静怡', '子涵', '雨桐', '浩然', '思远', '佳琪', '俊杰', '梓萱', '文华', '亚男'])[1 + k / 30]
  from (select (n * 389) % 1200 as k) shuffled
$$;

/** A unit by estate, building name, entrance and room. */
create function pg_temp.unit_id(p_estate_id uuid, p_building text, p_entrance text, p_room text) returns uuid
language sql stable as $$
  select u.id from public.units u join public.areas a on a.id = u.building_id
  where u.estate_id = p_estate_id and a.name = p_building and u.entrance = p_entrance and u.room = p_room
$$;

-- ----------------------------------------------------------------------------
-- The community and its estates.
-- ----------------------------------------------------------------------------

insert into public.communities (id, name, district)
values ('5eed0000-0000-4000-8000-000000000001', '横塘社区', '姑苏区');

insert into public.estates (id, community_id, name, address, map_mode, center_lat, center_lng, zoom)
values ('5eed0000-0000-4000-8000-000000000101', '5eed0000-0000-4000-8000-000000000001', '晋源水岸花苑',
  '苏州市姑苏区横塘街道晋源路88号', 'geographic', 31.290400, 120.578600, 17);

insert into public.estates (id, community_id, name, address, map_mode, plan_image, plan_width, plan_height)
values ('5eed0000-0000-4000-8000-000000000102', '5eed0000-0000-4000-8000-000000000001', '采莲新村',
  '苏州市姑苏区横塘街道采莲路16号', 'site_plan', '/plans/cailian.svg', 1200, 800);

-- ----------------------------------------------------------------------------
-- Areas and the shape of every building. One row per area: its rectangle,
-- and for a building the floors, entrances (单元) per building and the floor
-- areas of the two flats on each landing (room x01 and x02).
-- ----------------------------------------------------------------------------

create temporary table seed_area (
  estate_id uuid not null,
  kind text not null,
  name text not null,
  parent text,
  x0 numeric not null, y0 numeric not null, x1 numeric not null, y1 numeric not null,
  floors integer,
  entrances integer,
  area_01 numeric(8, 2),
  area_02 numeric(8, 2)
);

-- 晋源水岸花苑 (2012): rectangles in metres east/north of the centre (pg_temp.metres_rect).
-- 西苑: 6-storey 洋房 with two entrances, and 15栋, a two-storey villa block of four
-- flats (small enough to try a building-scoped owners' vote); 东苑: 11-storey
-- 小高层; 南苑: 18-storey 高层.
insert into seed_area (estate_id, kind, name, parent, x0, y0, x1, y1, floors, entrances, area_01, area_02)
select '5eed0000-0000-4000-8000-000000000101'::uuid, kind, name, parent, x0, y0, x1, y1, floors, entrances, area_01, area_02
from (values
  ('courtyard', '西苑', null, -150, 5, -10, 125, null, null, null, null),
  ('courtyard', '东苑', null, 10, 5, 150, 125, null, null, null, null),
  ('courtyard', '南苑', null, -150, -130, 150, -15, null, null, null, null),
  ('building', '1栋', '西苑', -138, 82, -98, 96, 6, 2, 143.80, 131.62),
  ('building', '2栋', '西苑', -70, 82, -30, 96, 6, 2, 143.80, 131.62),
  ('building', '3栋', '西苑', -138, 25, -98, 39, 6, 2, 143.80, 131.62),
  ('building', '4栋', '西苑', -70, 25, -30, 39, 6, 2, 143.80, 131.62),
  ('building', '15栋', '西苑', -70, 106, -30, 118, 2, 1, 168.40, 152.75),
  ('building', '5栋', '东苑', 30, 80, 54, 96, 11, 1, 118.26, 105.37),
  ('building', '6栋', '东苑', 100, 80, 124, 96, 11, 1, 118.26, 105.37),
  ('building', '7栋', '东苑', 30, 23, 54, 39, 11, 1, 118.26, 105.37),
  ('building', '8栋', '东苑', 100, 23, 124, 39, 11, 1, 118.26, 105.37),
  ('building', '9栋', '南苑', -120, -110, -92, -92, 18, 1, 89.50, 96.84),
  ('building', '10栋', '南苑', -14, -110, 14, -92, 18, 1, 89.50, 96.84),
  ('building', '11栋', '南苑', 92, -110, 120, -92, 18, 1, 89.50, 96.84),
  ('space', '中心花园', '南苑', -70, -70, -30, -35, null, null, null, null)
) as v (kind, name, parent, x0, y0, x1, y1, floors, entrances, area_01, area_02);

-- 采莲新村 (1986): rectangles in plan pixels over static/plans/cailian.svg
-- (1200 × 800). Like the SVG, x runs right and y runs DOWN from the TOP edge of
-- the plan; the map code flips y for Leaflet's CRS.Simple, whose y runs up.
-- Six-storey walk-ups of two or three entrances, two flats per landing.
insert into seed_area (estate_id, kind, name, parent, x0, y0, x1, y1, floors, entrances, area_01, area_02)
select '5eed0000-0000-4000-8000-000000000102'::uuid, kind, name, parent, x0, y0, x1, y1, floors, entrances, area_01, area_02
from (values
  ('courtyard', '一区', null, 40, 40, 570, 360, null, null, null, null),
  ('courtyard', '二区', null, 630, 40, 1160, 360, null, null, null, null),
  ('courtyard', '三区', null, 40, 420, 570, 720, null, null, null, null),
  ('courtyard', '四区', null, 630, 420, 1160, 720, null, null, null, null),
  ('building', '1幢', '一区', 70, 70, 270, 110, 6, 3, 64.15, 79.60),
  ('building', '2幢', '一区', 330, 70, 530, 110, 6, 3, 43.90, 58.32),
  ('building', '3幢', '一区', 70, 170, 270, 210, 6, 3, 55.06, 72.40),
  ('building', '4幢', '一区', 330, 170, 470, 210, 6, 2, 48.20, 61.75),
  ('building', '5幢', '一区', 70, 270, 210, 310, 6, 2, 64.15, 79.60),
  ('building', '6幢', '二区', 670, 70, 870, 110, 6, 3, 43.90, 58.32),
  ('building', '7幢', '二区', 930, 70, 1130, 110, 6, 3, 55.06, 72.40),
  ('building', '8幢', '二区', 730, 170, 870, 210, 6, 2, 48.20, 61.75),
  ('building', '9幢', '二区', 930, 170, 1130, 210, 6, 3, 64.15, 79.60),
  ('building', '10幢', '二区', 990, 270, 1130, 310, 6, 2, 43.90, 58.32),
  ('building', '11幢', '三区', 70, 450, 270, 490, 6, 3, 55.06, 72.40),
  ('building', '12幢', '三区', 330, 450, 530, 490, 6, 3, 48.20, 61.75),
  ('building', '13幢', '三区', 70, 550, 270, 590, 6, 3, 64.15, 79.60),
  ('building', '14幢', '三区', 330, 550, 470, 590, 6, 2, 43.90, 58.32),
  ('building', '15幢', '三区', 70, 650, 210, 690, 6, 2, 55.06, 72.40),
  ('building', '16幢', '四区', 670, 450, 870, 490, 6, 3, 48.20, 61.75),
  ('building', '17幢', '四区', 930, 450, 1130, 490, 6, 3, 64.15, 79.60),
  ('building', '18幢', '四区', 730, 550, 870, 590, 6, 2, 43.90, 58.32),
  ('building', '19幢', '四区', 930, 550, 1130, 590, 6, 3, 55.06, 72.40),
  ('building', '20幢', '四区', 990, 650, 1130, 690, 6, 2, 48.20, 61.75),
  ('space', '一区花园', '一区', 260, 245, 540, 335, null, null, null, null),
  ('space', '二区花园', '二区', 660, 245, 940, 335, null, null, null, null),
  ('space', '三区花园', '三区', 260, 625, 540, 715, null, null, null, null),
  ('space', '四区花园', '四区', 660, 625, 940, 715, null, null, null, null)
) as v (kind, name, parent, x0, y0, x1, y1, floors, entrances, area_01, area_02);

insert into public.areas (estate_id, kind, name, geometry)
select s.estate_id, s.kind, s.name,
  case e.map_mode when 'geographic' then pg_temp.metres_rect(s.x0, s.y0, s.x1, s.y1)
                  else pg_temp.rect(s.x0, s.y0, s.x1, s.y1) end
from seed_area s join public.estates e on e.id = s.estate_id;

update public.areas a set parent_id = p.id
from seed_area s
join public.areas p on p.estate_id = s.estate_id and p.kind = 'courtyard' and p.name = s.parent
where a.estate_id = s.estate_id and a.kind = s.kind and a.name = s.name;

-- ----------------------------------------------------------------------------
-- Units: every flat of every building, rooms numbered floor × 100 + 1 or 2
-- (1801 is the 18th floor, first flat). A building with one entrance leaves
-- the entrance empty. The top five floors of 晋源水岸花苑 11栋 are unsold and
-- still the developer's: 292 units there, 624 in 采莲新村.
-- ----------------------------------------------------------------------------

insert into public.units (estate_id, building_id, entrance, room, floor_area, developer_held)
select s.estate_id, a.id,
  case when s.entrances = 1 then '' else entrance::text end,
  (floor * 100 + flat)::text,
  case flat when 1 then s.area_01 else s.area_02 end,
  s.estate_id = '5eed0000-0000-4000-8000-000000000101' and s.name = '11栋' and floor >= 14
from seed_area s
join public.areas a on a.estate_id = s.estate_id and a.kind = 'building' and a.name = s.name
cross join generate_series(1, s.entrances) entrance
cross join generate_series(1, s.floors) floor
cross join generate_series(1, 2) flat
where s.kind = 'building'
order by s.estate_id, length(s.name), s.name, entrance, floor, flat;

-- ----------------------------------------------------------------------------
-- Demo accounts. The profile trigger on auth.users creates their profiles
-- from display_name and locale. instance_id, aud, role and the app metadata
-- are what Supabase Auth writes for an email sign-up.
-- ----------------------------------------------------------------------------

insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
  raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
select '00000000-0000-0000-0000-000000000000', id::uuid, 'authenticated', 'authenticated', email,
  extensions.crypt(password, extensions.gen_salt('bf', 10)), now(),
  '{"provider":"email","providers":["email"]}'::jsonb,
  jsonb_build_object('display_name', display_name, 'locale', 'zh-CN'), now(), now()
from (values
  ('5eed0000-0000-4000-8000-000000001001', 'resident@demo.linyi.org', 'linyi-resident-2026', '居民 王阿姨'),
  ('5eed0000-0000-4000-8000-000000001002', 'owner@demo.linyi.org', 'linyi-owner-2026', '业主 李先生'),
  ('5eed0000-0000-4000-8000-000000001003', 'volunteer@demo.linyi.org', 'linyi-volunteer-2026', '志愿者 小陈'),
  ('5eed0000-0000-4000-8000-000000001004', 'moderator@demo.linyi.org', 'linyi-moderator-2026', '主持人 赵老师'),
  ('5eed0000-0000-4000-8000-000000001005', 'committee@demo.linyi.org', 'linyi-committee-2026', '居委会 周主任'),
  ('5eed0000-0000-4000-8000-000000001006', 'party@demo.linyi.org', 'linyi-party-2026', '党员 孙师傅'),
  ('5eed0000-0000-4000-8000-000000001007', 'admin@demo.linyi.org', 'linyi-admin-2026', '社工 刘老师'),
  ('5eed0000-0000-4000-8000-000000001011', 'applicant1@demo.linyi.org', 'linyi-applicant-2026', '陈奶奶'),
  ('5eed0000-0000-4000-8000-000000001012', 'applicant2@demo.linyi.org', 'linyi-applicant-2026', '吴女士'),
  ('5eed0000-0000-4000-8000-000000001013', 'applicant3@demo.linyi.org', 'linyi-applicant-2026', '黄先生')
) as v (id, email, password, display_name);

update public.profiles set is_admin = true where id = '5eed0000-0000-4000-8000-000000001007';

-- ----------------------------------------------------------------------------
-- Owners. Every sold unit has an owner, named deterministically by its place
-- in the register; every 40th unit (from the 8th) is co-owned by a second
-- person; one owner of 晋源水岸花苑 holds two flats (9栋 1801 and 10栋 1801);
-- the developer holds its unsold units; the owner demo account owns 1栋 1单元 301
-- and 15栋 101, the party member demo account 15栋 102 (let to a tenant), and two
-- owners without an account the other flats of 15栋 (they vote on paper).
-- ----------------------------------------------------------------------------

with registered as (
  select u.id as unit_id, u.estate_id,
    -- Numbered across both estates, so that no name appears in both.
    (row_number() over (order by u.estate_id, length(a.name), a.name, u.entrance, length(u.room), u.room) - 1)::integer as n
  from public.units u join public.areas a on a.id = u.building_id
  where u.estate_id in ('5eed0000-0000-4000-8000-000000000101', '5eed0000-0000-4000-8000-000000000102')
    and not u.developer_held
    and u.building_id not in (select id from public.areas where name = '15栋')
    and u.id not in (pg_temp.unit_id('5eed0000-0000-4000-8000-000000000101', '1栋', '1', '301'),
                     pg_temp.unit_id('5eed0000-0000-4000-8000-000000000101', '10栋', '', '1801'))
), holders as (
  select unit_id, estate_id, pg_temp.person_name(n) as name from registered
  union all
  -- Co-owners take names from the end of the list, which no first owner reaches (904 units).
  select unit_id, estate_id, pg_temp.person_name(1199 - n / 40) from registered where n % 40 = 7
), added as (
  insert into public.owners (estate_id, name)
  select distinct estate_id, name from holders
  returning id, estate_id, name
)
insert into public.unit_owners (unit_id, owner_id)
select h.unit_id, o.id from holders h join added o on o.estate_id = h.estate_id and o.name = h.name;

insert into public.unit_owners (unit_id, owner_id)
select pg_temp.unit_id('5eed0000-0000-4000-8000-000000000101', '10栋', '', '1801'), uo.owner_id
from public.unit_owners uo
where uo.unit_id = pg_temp.unit_id('5eed0000-0000-4000-8000-000000000101', '9栋', '', '1801');

with developer as (
  insert into public.owners (estate_id, name, is_developer)
  values ('5eed0000-0000-4000-8000-000000000101', '苏州晋源置业有限公司', true)
  returning id
)
insert into public.unit_owners (unit_id, owner_id)
select u.id, developer.id from public.units u, developer
where u.estate_id = '5eed0000-0000-4000-8000-000000000101' and u.developer_held;

with demo_owner as (
  insert into public.owners (estate_id, name, user_id)
  values ('5eed0000-0000-4000-8000-000000000101', '李明远', '5eed0000-0000-4000-8000-000000001002')
  returning id
)
insert into public.unit_owners (unit_id, owner_id)
select pg_temp.unit_id('5eed0000-0000-4000-8000-000000000101', b, e, r), demo_owner.id
from demo_owner, (values ('1栋', '1', '301'), ('15栋', '', '101')) as v (b, e, r);

with villa (name, user_id, room) as (values
  ('欧阳建华', '5eed0000-0000-4000-8000-000000001006'::uuid, '102'),
  ('上官淑芬', null, '201'),
  ('司马国强', null, '202')
), added as (
  insert into public.owners (estate_id, name, user_id)
  select '5eed0000-0000-4000-8000-000000000101', name, user_id from villa
  returning id, name
)
insert into public.unit_owners (unit_id, owner_id)
select pg_temp.unit_id('5eed0000-0000-4000-8000-000000000101', '15栋', '', v.room), a.id
from villa v join added a on a.name = v.name;

-- ----------------------------------------------------------------------------
-- Memberships. The demo accounts are verified members of 晋源水岸花苑 for
-- more than a year (the estate's issues below go back that far), each
-- in a flat, verified by the committee (the committee member by the social
-- worker); the committee member also serves 采莲新村. Three newcomers wait in
-- the committee's queue: one names a registered flat, one says they own
-- theirs, one names a flat missing from the register (kept as a note).
-- ----------------------------------------------------------------------------

insert into public.memberships (estate_id, user_id, status, unit_id, unit_note, claims_owner, roles,
  decided_by, decided_at, created_at)
select '5eed0000-0000-4000-8000-000000000101', user_id::uuid, status,
  pg_temp.unit_id('5eed0000-0000-4000-8000-000000000101', building, entrance, room),
  unit_note, claims_owner, roles::text[],
  case status when 'verified' then decided_by::uuid end,
  case status when 'verified' then now() - created_ago::interval + interval '2 days' end,
  now() - created_ago::interval
from (values
  ('5eed0000-0000-4000-8000-000000001001', 'verified', '5栋', '', '602', null, false, '{}',
   '5eed0000-0000-4000-8000-000000001005', '400 days'),
  ('5eed0000-0000-4000-8000-000000001002', 'verified', '1栋', '1', '301', null, true, '{owner}',
   '5eed0000-0000-4000-8000-000000001005', '400 days'),
  ('5eed0000-0000-4000-8000-000000001003', 'verified', '6栋', '', '901', null, false, '{volunteer}',
   '5eed0000-0000-4000-8000-000000001005', '400 days'),
  ('5eed0000-0000-4000-8000-000000001004', 'verified', '9栋', '', '1202', null, false, '{moderator,volunteer}',
   '5eed0000-0000-4000-8000-000000001005', '400 days'),
  ('5eed0000-0000-4000-8000-000000001005', 'verified', '2栋', '2', '502', null, false, '{committee}',
   '5eed0000-0000-4000-8000-000000001007', '420 days'),
  ('5eed0000-0000-4000-8000-000000001006', 'verified', '10栋', '', '1601', null, false, '{party_member}',
   '5eed0000-0000-4000-8000-000000001005', '400 days'),
  ('5eed0000-0000-4000-8000-000000001007', 'verified', '7栋', '', '301', null, false, '{}',
   '5eed0000-0000-4000-8000-000000001005', '420 days'),
  ('5eed0000-0000-4000-8000-000000001011', 'pending', '8栋', '', '1002', null, false, '{}', null, '3 days'),
  ('5eed0000-0000-4000-8000-000000001012', 'pending', '4栋', '2', '602', null, true, '{}', null, '2 days'),
  -- 3栋 has six floors: 701 is not in the register, so the request keeps what was typed.
  ('5eed0000-0000-4000-8000-000000001013', 'pending', '3栋', '1', '701', '3栋 1单元 701', false, '{}', null, '5 hours')
) as v (user_id, status, building, entrance, room, unit_note, claims_owner, roles, decided_by, created_ago);

insert into public.memberships (estate_id, user_id, status, roles, decided_by, decided_at, created_at)
values ('5eed0000-0000-4000-8000-000000000102', '5eed0000-0000-4000-8000-000000001005', 'verified', '{committee}',
  '5eed0000-0000-4000-8000-000000001007', now() - interval '40 days', now() - interval '40 days');

-- ----------------------------------------------------------------------------
-- Supabase only (a no-op on the embedded and postgres modes, whose auth.users
-- has neither). Supabase Auth cannot sign in a user whose token columns are
-- NULL ("converting NULL to string is unsupported") and signs in with a
-- password only through an email identity in auth.identities, both of which
-- its own sign-up writes and a plain insert does not.
-- ----------------------------------------------------------------------------

-- ----------------------------------------------------------------------------
-- A finished consultation, so that the votes pages have a result to show:
-- 王阿姨 asked where the new benches of 南苑's central garden should go; the
-- committee accepted it and put three places to the residents (one choice,
-- open ballot). Six of the seven verified residents voted; 凉亭周围 won and the
-- issue is approved. Written through the vote functions' own helpers, as the
-- clock would have run them.
-- ----------------------------------------------------------------------------

insert into public.issues (id, estate_id, area_id, author_id, title, body, category, status, created_at, last_activity_at)
select '5eed0000-0000-4000-8000-000000002001', a.estate_id, a.id, '5eed0000-0000-4000-8000-000000001001',
  '南苑中心花园增设休息座椅的位置',
  '中心花园散步的老人多，走累了没地方坐。街道答应出资添六张座椅，大家看看放在哪里合适。',
  'facilities', 'proposed', now() - interval '12 days', now() - interval '11 days'
from public.areas a
where a.estate_id = '5eed0000-0000-4000-8000-000000000101' and a.kind = 'courtyard' and a.name = '南苑';

update public.issues set status = 'accepted' where id = '5eed0000-0000-4000-8000-000000002001';
insert into public.issue_events (issue_id, actor_id, kind, action, from_status, to_status, created_at)
values ('5eed0000-0000-4000-8000-000000002001', '5eed0000-0000-4000-8000-000000001005', 'transition', 'accept',
  'proposed', 'accepted', now() - interval '11 days');

insert into public.votes (id, estate_id, issue_id, question, description, kind, rule, electorate_kind,
  max_choices, secret, live_results, opens_at, closes_at, created_by, created_at)
values ('5eed0000-0000-4000-8000-000000003001', '5eed0000-0000-4000-8000-000000000101',
  '5eed0000-0000-4000-8000-000000002001', '新座椅放在中心花园的哪一处？',
  '六张座椅一次放在一处，便于维护。每位认证居民选一处。', 'consultative', 'plurality', 'residents',
  1, false, false, now() - interval '10 days', now() - interval '3 days', '5eed0000-0000-4000-8000-000000001005',
  now() - interval '10 days');
insert into public.vote_options (vote_id, position, role, label) values
  ('5eed0000-0000-4000-8000-000000003001', 1, 'custom', '沿南侧步道'),
  ('5eed0000-0000-4000-8000-000000003001', 2, 'custom', '靠近儿童游乐区'),
  ('5eed0000-0000-4000-8000-000000003001', 3, 'custom', '凉亭周围');

-- Opening takes the electorate: the seven verified residents of 晋源水岸花苑.
select private.open_vote_now('5eed0000-0000-4000-8000-000000003001');

insert into public.ballots (vote_id, elector_id, choice, cast_by, channel, receipt, created_at)
select e.vote_id, e.id, array[b.choice]::smallint[], e.user_id, 'online',
  (select substr(x, 1, 4) || '-' || substr(x, 5, 4) || '-' || substr(x, 9, 4) || '-' || substr(x, 13, 4)
   from upper(md5('demo-receipt-' || e.user_id)) x),
  now() - b.ago::interval
from public.vote_electorate e
join (values
  ('5eed0000-0000-4000-8000-000000001001'::uuid, 3, '9 days'),
  ('5eed0000-0000-4000-8000-000000001002'::uuid, 1, '9 days'),
  ('5eed0000-0000-4000-8000-000000001003'::uuid, 3, '8 days'),
  ('5eed0000-0000-4000-8000-000000001004'::uuid, 2, '7 days'),
  ('5eed0000-0000-4000-8000-000000001005'::uuid, 3, '6 days'),
  ('5eed0000-0000-4000-8000-000000001006'::uuid, 1, '5 days')
) as b (user_id, choice, ago) on b.user_id = e.user_id
where e.vote_id = '5eed0000-0000-4000-8000-000000003001';

-- Its closing time has passed: the count runs as the periodic sweep would run it.
select private.close_vote_now('5eed0000-0000-4000-8000-000000003001', null);
update public.votes set opened_at = opens_at, closed_at = closes_at where id = '5eed0000-0000-4000-8000-000000003001';
update public.issue_events set created_at = now() - interval '10 days'
where issue_id = '5eed0000-0000-4000-8000-000000002001' and action = 'open_vote';
update public.issue_events set created_at = now() - interval '3 days'
where issue_id = '5eed0000-0000-4000-8000-000000002001' and action = 'close_vote';
update public.issue_events set created_at = now() - interval '12 days'
where issue_id = '5eed0000-0000-4000-8000-000000002001' and kind = 'proposed';

-- ----------------------------------------------------------------------------
-- 晋源水岸花苑's own issues over the past year, so that the board, its search
-- and the map have something to show: ten solved (raised, accepted, discussed,
-- voted at a residents' meeting, publicized, done), three that never close and
-- are followed up (waste sorting, dogs, things thrown from windows), and two
-- still open. Each has a pin inside its area, supports and a discussion from
-- the demo accounts, and a timeline whose steps follow the lifecycle table.
-- One comment on the dog issue has two reports waiting in the moderators'
-- queue. Written directly; the triggers keep the counters and search pairs.
-- Ids 5eed0000-0000-4000-8000-0000000020NN, NN = 02 … 16.
-- ----------------------------------------------------------------------------

create temporary table seed_issue (
  n integer primary key,
  area text not null,
  x numeric not null,
  y numeric not null,
  category text not null,
  title text not null,
  body text not null,
  author integer not null,
  days integer not null,
  outcome text not null,
  vote_note text,
  work_note text,
  done_note text,
  supporters integer[] not null
);

-- Points are metres east (x) and north (y) of the centre, like the areas; authors and supporters are
-- the demo accounts by the last digits of their ids (1 王阿姨 … 7 刘老师).
insert into seed_issue values
  (2, '西苑', -84, 60, 'facilities', '西苑健身器材年久失修，扶手松动',
   '西苑健身角的太空漫步机和扭腰器用了十年，扶手松动，有两处螺丝已经掉了，老人锻炼时很危险。', 4, 320, 'completed',
   '居民议事会现场表决：同意 31 票，反对 0 票，弃权 2 票。', '器材由街道出资更换，公示期满后开工。', '八件新器材已安装并验收，旧器材已回收。', '{1,2,3,5,6}'),
  (3, '东苑', 76, 62, 'elderly_children', '东苑儿童滑梯开裂，孩子容易划伤',
   '东苑游乐区的塑料滑梯侧面裂了一道口子，边缘很锋利，已经有孩子划破手。', 1, 290, 'completed',
   '居民议事会表决：同意 27 票，反对 1 票。', '先用围挡封闭，再整体更换滑梯和地垫。', '新滑梯和防摔地垫已装好，围挡已拆除。', '{2,3,4,6}'),
  (4, '南苑', 40, -52, 'safety', '南苑需要电瓶车充电车棚，别再飞线充电',
   '不少人从楼上拉电线给电瓶车充电，还有人推进楼道，太危险了。希望在南苑建一个带充电桩的车棚。', 6, 270, 'completed',
   '业主和居民议事会表决：同意 45 票，反对 3 票，弃权 4 票。', '车棚选址南苑东侧空地，含 40 个充电口，费用由物业维修资金和街道补贴共同承担。', '充电车棚已通电使用，扫码充电，楼道里的电瓶车已清走。', '{1,2,3,4,5,7}'),
  (5, '南苑', -52, -54, 'facilities', '中心花园的长椅木条断了，油漆也掉光了',
   '中心花园的几张长椅木条断裂，坐上去会夹手，油漆掉得只剩铁架。', 1, 240, 'completed',
   '居民议事会表决：同意 22 票，反对 0 票。', '物业负责更换木条、重新刷漆。', '六张长椅已修好刷新，另加装了扶手方便老人起身。', '{3,4,6}'),
  (6, '2栋', -50, 89, 'safety', '2栋楼道灯坏了好几层，晚上摸黑上楼',
   '2栋二单元三楼到六楼的楼道灯都不亮，老人晚上上楼很容易摔倒。', 5, 200, 'completed',
   '楼栋议事会表决：同意 18 票，反对 0 票。', '物业改装声控感应灯。', '二单元全部换成感应灯，一单元也一并检查更换。', '{1,2,4}'),
  (7, '5栋', 42, 88, 'facilities', '5栋地下车库入口下雨就积水',
   '一下大雨，5栋车库入口就积水十几厘米，车开不进去，电动车也会泡水。', 7, 180, 'completed',
   '居民议事会表决：同意 26 票，反对 2 票。', '疏通排水沟，加装截水沟和挡水坡。', '汛期前完工，最近两场暴雨都没有再积水。', '{1,3,5,6}'),
  (8, '东苑', 140, 12, 'other', '东门快递柜太少，快递堆在门口',
   '东门只有一组快递柜，下午就塞满了，快递员把包裹堆在地上，丢过好几次。', 3, 150, 'completed',
   '居民议事会表决：同意 35 票，反对 4 票。', '与快递柜公司签约，在东门增设两组柜子。', '两组新快递柜已投入使用，门口不再堆放包裹。', '{1,2,4,5,6,7}'),
  (9, '西苑', -124, 112, 'greening', '西苑草坪被踩秃，能不能补种并修一条小路',
   '大家图近路从草坪中间穿过，踩出一条泥路，下雨天一脚泥。', 2, 120, 'completed',
   '居民议事会表决：同意 19 票，反对 5 票，弃权 3 票。', '顺着踩出的路线铺设汀步石，其余补种草皮。', '汀步石小路已铺好，草皮补种完成，挂了爱护绿化的提示牌。', '{1,3}'),
  (10, '南苑', 0, -22, 'parking', '南苑消防通道常被私家车占用',
   '南苑中间的消防通道每天晚上都停满私家车，万一着火消防车根本进不来。', 4, 95, 'completed',
   '居民议事会表决：同意 40 票，反对 6 票。', '施划禁停黄线、安装提示牌，物业夜间巡查。', '消防通道已恢复畅通，连续一个月巡查无占用。', '{1,2,3,5,6,7}'),
  (11, '9栋', -106, -101, 'renovation', '9栋外墙瓷砖脱落，差点砸到人',
   '9栋北面外墙有瓷砖掉下来，砸坏了楼下的电动车，幸好当时没人。', 4, 75, 'completed',
   '业主共同决定（9栋）：参与面积和人数均超过三分之二，同意过半。', '动用维修资金，搭脚手架排查并修补北立面。', '北立面空鼓瓷砖已全部铲除修补，检测合格。', '{1,2,5,6}'),
  (12, '东苑', 82, 12, 'sanitation', '垃圾分类投放点太少，定时投放时间不方便',
   '东苑只有一个定时定点投放点，早上七点到九点太早，上班族根本赶不上，垃圾就扔在桶边。', 3, 210, 'following_up',
   null, null, null, '{1,2,4,5,6,7}'),
  (13, '南苑', 100, -60, 'dogs', '文明养犬：遛狗不拴绳、狗粪不清理',
   '南苑晚上遛狗的多，不少狗不拴绳，追着孩子跑，草坪上到处是狗粪。', 1, 160, 'following_up',
   null, null, null, '{2,3,5,6}'),
  (14, '10栋', 0, -101, 'safety', '10栋高空抛物，楼下晾的衣服被弄脏',
   '10栋有人从楼上往下扔果皮、烟头，楼下晾晒的衣服经常被弄脏，也怕砸到人。', 6, 60, 'following_up',
   null, null, null, '{1,4,5}'),
  (15, '1栋', -118, 89, 'safety', '1栋单元门禁经常失灵，外人随便进',
   '1栋一单元的门禁这个月坏了三次，门一直开着，有推销的人挨家敲门。', 2, 6, 'proposed',
   null, null, null, '{1,3}'),
  (16, '3栋', -118, 32, 'renovation', '3栋想加装电梯，先问问大家的意见',
   '3栋是六层洋房，住了不少老人，爬楼越来越难。想了解一下加装电梯的政策和费用分摊，看看大家愿不愿意。', 2, 20, 'deliberating',
   null, null, null, '{1,4,6}');

insert into public.issues (id, estate_id, area_id, point_x, point_y, category, title, body, status, author_id, created_at, last_activity_at)
select ('5eed0000-0000-4000-8000-0000000020' || lpad(s.n::text, 2, '0'))::uuid, a.estate_id, a.id,
  round(120.578600 + s.x / 95100, 7), round(31.290400 + s.y / 110900, 7), s.category, s.title, s.body, 'proposed',
  ('5eed0000-0000-4000-8000-00000000100' || s.author)::uuid, now() - make_interval(days => s.days), now() - make_interval(days => s.days)
from seed_issue s
join public.areas a on a.estate_id = '5eed0000-0000-4000-8000-000000000101' and a.name = s.area;

-- The timelines: the proposal the insert trigger wrote, dated; then every step, a day or more apart.
update public.issue_events ev set created_at = i.created_at
from public.issues i where ev.issue_id = i.id and ev.kind = 'proposed' and i.id::text like '5eed0000-0000-4000-8000-0000000020%'
  and i.id <> '5eed0000-0000-4000-8000-000000002001';

insert into public.issue_events (issue_id, actor_id, kind, action, from_status, to_status, reason, created_at)
select ('5eed0000-0000-4000-8000-0000000020' || lpad(s.n::text, 2, '0'))::uuid, '5eed0000-0000-4000-8000-000000001005'::uuid,
  'transition', st.action, st.from_status, st.to_status, st.reason, now() - make_interval(days => s.days - st.after_days)
from seed_issue s
cross join lateral (values
  (1, 'accept', 'proposed', 'accepted', null::text, 2),
  (2, 'deliberate', 'accepted', 'deliberating', '下次居民议事会讨论。', 5),
  (3, 'open_vote', 'deliberating', 'voting', null, 12),
  (4, 'close_vote', 'voting', 'approved', s.vote_note, 13),
  (5, 'publicize', 'approved', 'publicized', s.work_note, 14),
  (6, 'start_work', 'publicized', 'in_progress', case when s.n = 4 then '公示期满，两条异议均已答复（一条采纳后修改重新公示）。' else '公示 7 天期满，无异议。' end, 21),
  (7, 'complete', 'in_progress', 'completed', s.done_note, 45)
) as st (step, action, from_status, to_status, reason, after_days)
where s.outcome = 'completed'
union all
select ('5eed0000-0000-4000-8000-0000000020' || lpad(s.n::text, 2, '0'))::uuid, '5eed0000-0000-4000-8000-000000001005'::uuid,
  'transition', st.action, st.from_status, st.to_status, st.reason, now() - make_interval(days => s.days - st.after_days)
from seed_issue s
cross join lateral (values
  ('accept', 'proposed', 'accepted', null::text, 2),
  ('follow_up', 'accepted', 'following_up', '这是需要长期坚持的事：居委会每月巡查一次，在这里更新进展。', 9)
) as st (action, from_status, to_status, reason, after_days)
where s.outcome = 'following_up'
union all
select ('5eed0000-0000-4000-8000-0000000020' || lpad(s.n::text, 2, '0'))::uuid, '5eed0000-0000-4000-8000-000000001005'::uuid,
  'transition', st.action, st.from_status, st.to_status, st.reason, now() - make_interval(days => s.days - st.after_days)
from seed_issue s
cross join lateral (values
  ('accept', 'proposed', 'accepted', null::text, 3),
  ('deliberate', 'accepted', 'deliberating', '先请街道介绍加装电梯的补贴政策，再开楼栋议事会。', 8)
) as st (action, from_status, to_status, reason, after_days)
where s.outcome = 'deliberating'
order by 1, 8;

insert into public.issue_supports (issue_id, user_id, created_at)
select ('5eed0000-0000-4000-8000-0000000020' || lpad(s.n::text, 2, '0'))::uuid, ('5eed0000-0000-4000-8000-00000000100' || u)::uuid,
  now() - make_interval(days => s.days) + make_interval(hours => 3 * k::int)
from seed_issue s, unnest(s.supporters) with ordinality as x (u, k)
where u <> s.author;

-- Discussions: a few comments each, replies to the first, in the days after the proposal.
insert into public.comments (issue_id, parent_id, author_id, stance, body, created_at)
select ('5eed0000-0000-4000-8000-0000000020' || lpad(c.n::text, 2, '0'))::uuid, null,
  ('5eed0000-0000-4000-8000-00000000100' || c.author)::uuid, c.stance, c.body,
  now() - make_interval(days => s.days) + make_interval(hours => c.hours)
from (values
  (2, 6, 'support', '我每天早上都在那儿锻炼，扶手确实晃得厉害。', 5),
  (2, 2, 'suggestion', '换新的时候能不能加一个适合老人的上肢训练器？', 30),
  (3, 3, 'support', '我家孩子上周就被划了一下，赶紧修吧。', 4),
  (4, 1, 'support', '楼道里停电瓶车太吓人了，支持建车棚。', 2),
  (4, 2, 'concern', '车棚离我家窗户近，充电会不会有噪音？', 20),
  (4, 4, 'question', '充电怎么收费？按小时还是按度？', 26),
  (5, 6, 'support', '长椅修好了老人散步就有地方歇脚了。', 6),
  (6, 2, 'support', '我家老人也说晚上看不见台阶。', 3),
  (7, 5, 'support', '物业说排水沟堵了，疏通一下应该就好。', 8),
  (8, 2, 'support', '上个月我的快递就丢在门口了。', 2),
  (8, 6, 'oppose', '快递柜收费太贵，能不能让快递员送到家？', 10),
  (9, 3, 'suggestion', '与其拦着不让走，不如顺着大家走的路修一条小路。', 5),
  (10, 1, 'support', '消防通道必须畅通，这是救命的路。', 1),
  (10, 7, 'concern', '车位本来就不够，禁停以后车停哪里？', 12),
  (11, 5, 'support', '这个太危险了，要尽快排查。', 1),
  (12, 1, 'suggestion', '晚上加一个投放时段吧，六点半到八点半。', 3),
  (12, 5, 'question', '我们楼有没有可能再设一个投放点？', 15),
  (13, 3, 'concern', '我家孩子怕狗，晚上都不敢下楼玩。', 2),
  (13, 7, 'oppose', '养狗的都该罚款，小区里干脆禁止养狗！', 9),
  (14, 4, 'support', '楼下的电动车座上都是烟头烫的洞。', 2),
  (15, 3, 'support', '门禁坏了好几天没人修。', 1),
  (16, 4, 'support', '我母亲八十多了，住五楼，太需要电梯了。', 2),
  (16, 1, 'concern', '一楼二楼的住户出钱少，会不会影响采光？', 6)
) as c (n, author, stance, body, hours)
join seed_issue s on s.n = c.n;

insert into public.comments (issue_id, parent_id, author_id, stance, body, created_at)
select p.issue_id, p.id, ('5eed0000-0000-4000-8000-00000000100' || r.author)::uuid, r.stance, r.body, p.created_at + interval '6 hours'
from (values
  (4, 2, 5, 'suggestion', '选址离住宅楼至少十米，充电设备本身没有声音，请放心。'),
  (4, 4, 5, 'suggestion', '按度收费，价格会在公示里写清楚。'),
  (8, 6, 3, 'question', '超时才收费，及时取就不要钱。'),
  (10, 7, 5, 'suggestion', '物业正在和隔壁商场谈夜间共享车位。'),
  (12, 5, 5, 'suggestion', '已经向街道申请在西苑再设一个投放点。'),
  (13, 7, 4, 'concern', '请大家就事论事，规范养犬，不要一刀切。'),
  (16, 1, 6, 'suggestion', '可以按楼层分摊费用，低层少出或不出，政策里有参考办法。')
) as r (n, parent_author, author, stance, body)
join public.comments p on p.issue_id = ('5eed0000-0000-4000-8000-0000000020' || lpad(r.n::text, 2, '0'))::uuid
  and p.parent_id is null and p.author_id = ('5eed0000-0000-4000-8000-00000000100' || r.parent_author)::uuid;

-- Two neighbours reported the call to ban dogs; it waits in the moderators' queue, still shown.
insert into public.comment_reports (comment_id, reporter_id, reason, created_at)
select c.id, r.reporter::uuid, r.reason, c.created_at + r.after::interval
from public.comments c
cross join (values
  ('5eed0000-0000-4000-8000-000000001002', '攻击养狗的邻居', '5 hours'),
  ('5eed0000-0000-4000-8000-000000001006', '言语过激', '1 day')
) as r (reporter, reason, after)
where c.issue_id = '5eed0000-0000-4000-8000-000000002013' and c.author_id = '5eed0000-0000-4000-8000-000000001007' and c.parent_id is null;

-- Raised as proposals (the timeline's first step says so), each is now where its timeline ends.
update public.issues i set status = s.outcome
from seed_issue s where i.id = ('5eed0000-0000-4000-8000-0000000020' || lpad(s.n::text, 2, '0'))::uuid;

-- The activity as it happened (the triggers dated it now).
update public.issues i set last_activity_at = greatest(i.created_at,
    (select max(ev.created_at) from public.issue_events ev where ev.issue_id = i.id),
    (select max(c.created_at) from public.comments c where c.issue_id = i.id),
    (select max(s.created_at) from public.issue_supports s where s.issue_id = i.id))
where i.id in (select ('5eed0000-0000-4000-8000-0000000020' || lpad(n::text, 2, '0'))::uuid from seed_issue);

drop table seed_issue;

-- ----------------------------------------------------------------------------
-- Decision publicity (公示) in 晋源水岸花苑: the public clothes-drying racks of
-- 东苑, approved by a vote, published three days ago for 7 days; 王阿姨
-- objected to where they go (paragraph 2) and the committee answered (not
-- upheld, with its reason), so a newcomer sees an open window with an
-- answered objection and may object themselves. The e-bike charging shed of
-- 南苑 (…2004, done) shows a finished one: an upheld objection, the amended
-- second revision and its new window, then final. Written directly, as the
-- functions would have.
-- Ids: issue …2017, publications 5eed0000-0000-4000-8000-000000004001 / 4002.
-- ----------------------------------------------------------------------------

insert into public.issues (id, estate_id, area_id, point_x, point_y, category, title, body, status, author_id, created_at, last_activity_at)
select '5eed0000-0000-4000-8000-000000002017', a.estate_id, a.id, round(120.578600 + 84 / 95100.0, 7), round(31.290400 + 14 / 110900.0, 7),
  'facilities', '东苑增设公共晾衣架',
  '东苑楼前没有晾晒的地方，大家把被子搭在绿化带和电动车上，既不好看也不安全。希望在东苑空地增设公共晾衣架。',
  'proposed', '5eed0000-0000-4000-8000-000000001006', now() - interval '40 days', now() - interval '40 days'
from public.areas a where a.estate_id = '5eed0000-0000-4000-8000-000000000101' and a.name = '东苑';
update public.issue_events set created_at = now() - interval '40 days' where issue_id = '5eed0000-0000-4000-8000-000000002017';

insert into public.issue_events (issue_id, actor_id, kind, action, from_status, to_status, reason, created_at)
select '5eed0000-0000-4000-8000-000000002017', '5eed0000-0000-4000-8000-000000001005', 'transition', st.action, st.from_status, st.to_status,
  st.reason, now() - st.ago::interval
from (values
  ('accept', 'proposed', 'accepted', null::text, '38 days'),
  ('deliberate', 'accepted', 'deliberating', '下次居民议事会讨论。', '35 days'),
  ('open_vote', 'deliberating', 'voting', null, '28 days'),
  ('close_vote', 'voting', 'approved', '居民议事会表决：同意 24 票，反对 3 票，弃权 2 票。', '20 days'),
  ('publicize', 'approved', 'publicized', null, '3 days')
) as st (action, from_status, to_status, reason, ago)
order by st.ago desc;

insert into public.issue_supports (issue_id, user_id, created_at)
select '5eed0000-0000-4000-8000-000000002017', u::uuid, now() - interval '39 days'
from unnest(array['5eed0000-0000-4000-8000-000000001001', '5eed0000-0000-4000-8000-000000001003', '5eed0000-0000-4000-8000-000000001004']) u;
insert into public.comments (issue_id, author_id, stance, body, created_at) values
  ('5eed0000-0000-4000-8000-000000002017', '5eed0000-0000-4000-8000-000000001001', 'support', '被子晒在电动车上太难看了，支持。', now() - interval '39 days');

insert into public.publications (id, estate_id, kind, subject_id, issue_id, title, window_days, revision, opens_at, closes_at, status, created_by, created_at)
values ('5eed0000-0000-4000-8000-000000004001', '5eed0000-0000-4000-8000-000000000101', 'decision',
  '5eed0000-0000-4000-8000-000000002017', '5eed0000-0000-4000-8000-000000002017', '关于东苑增设公共晾衣架的决定公示', 7, 1,
  now() - interval '3 days', now() + interval '4 days', 'open', '5eed0000-0000-4000-8000-000000001005', now() - interval '3 days');
insert into public.publication_revisions (publication_id, revision, paragraphs, opens_at, closes_at, created_at)
values ('5eed0000-0000-4000-8000-000000004001', 1, array[
    '经居民议事会表决（同意 24 票，反对 3 票，弃权 2 票），决定在东苑增设公共晾衣架。',
    '晾衣架设在东苑 6 栋与 7 栋之间的空地，共 4 组，每组长 6 米，不占用消防通道。',
    '费用约 4800 元，由社区“驿心”基金支付；物业负责日常维护和每月清洁。',
    '对以上内容有异议的居民，请在公示期内在本页对具体段落提出异议，居委会将逐条答复。'],
  now() - interval '3 days', now() + interval '4 days', now() - interval '3 days');
insert into public.objections (publication_id, revision, paragraph, reason, objector_id, created_at, answer, answer_reason, answered_by, answered_at)
values ('5eed0000-0000-4000-8000-000000004001', 1, 2, '6 栋和 7 栋之间早上晒不到太阳，能不能放到东苑南侧？',
  '5eed0000-0000-4000-8000-000000001001', now() - interval '2 days', 'rejected',
  '南侧是消防通道和快递柜，放不下；6、7 栋之间上午十点以后就有阳光，居委会已实地看过。',
  '5eed0000-0000-4000-8000-000000001005', now() - interval '1 day');
insert into public.issue_events (issue_id, actor_id, kind, action, reason, publication_id, created_at) values
  ('5eed0000-0000-4000-8000-000000002017', '5eed0000-0000-4000-8000-000000001005', 'published', null, null, '5eed0000-0000-4000-8000-000000004001', now() - interval '3 days' - interval '1 minute'),
  ('5eed0000-0000-4000-8000-000000002017', '5eed0000-0000-4000-8000-000000001001', 'objection_raised', null, null, '5eed0000-0000-4000-8000-000000004001', now() - interval '2 days'),
  ('5eed0000-0000-4000-8000-000000002017', '5eed0000-0000-4000-8000-000000001005', 'objection_answered', 'rejected',
   '南侧是消防通道和快递柜，放不下；6、7 栋之间上午十点以后就有阳光，居委会已实地看过。', '5eed0000-0000-4000-8000-000000004001', now() - interval '1 day');
insert into public.notifications (user_id, kind, issue_id, payload, created_at) values
  ('5eed0000-0000-4000-8000-000000001001', 'objection_answered', '5eed0000-0000-4000-8000-000000002017',
   jsonb_build_object('publication_id', '5eed0000-0000-4000-8000-000000004001', 'estate_id', '5eed0000-0000-4000-8000-000000000101',
     'title', '关于东苑增设公共晾衣架的决定公示', 'paragraph', 2, 'upheld', false,
     'reason', '南侧是消防通道和快递柜，放不下；6、7 栋之间上午十点以后就有阳光，居委会已实地看过。'), now() - interval '1 day');
update public.issues set status = 'publicized', last_activity_at = now() - interval '1 day' where id = '5eed0000-0000-4000-8000-000000002017';

-- The charging shed (…2004, 270 days ago): approved 257 days ago, published 256 days ago; 李先生 objected that
-- 40 sockets were too few (upheld: amended to 60 the same day, a new 6-day window), 孙师傅 to the cost share (not upheld);
-- final half a day before the work started (249 days ago).
insert into public.publications (id, estate_id, kind, subject_id, issue_id, title, window_days, revision, opens_at, closes_at, status, created_by, created_at, final_at)
values ('5eed0000-0000-4000-8000-000000004002', '5eed0000-0000-4000-8000-000000000101', 'decision',
  '5eed0000-0000-4000-8000-000000002004', '5eed0000-0000-4000-8000-000000002004', '关于南苑建设电动自行车充电车棚的决定公示', 6, 2,
  now() - interval '256 days' + interval '12 hours', now() - interval '250 days' + interval '12 hours', 'final',
  '5eed0000-0000-4000-8000-000000001005', now() - interval '256 days', now() - interval '250 days' + interval '12 hours');
insert into public.publication_revisions (publication_id, revision, paragraphs, note, opens_at, closes_at, created_at) values
  ('5eed0000-0000-4000-8000-000000004002', 1, array[
    '经业主和居民议事会表决（同意 45 票，反对 3 票，弃权 4 票），决定在南苑建设电动自行车充电车棚。',
    '车棚选址南苑东侧空地，设 40 个充电口，扫码按度计费。',
    '费用由物业维修资金和街道补贴共同承担。',
    '对以上内容有异议的居民，请在公示期内在本页对具体段落提出异议，居委会将逐条答复。'], null,
   now() - interval '256 days', now() - interval '250 days', now() - interval '256 days'),
  ('5eed0000-0000-4000-8000-000000004002', 2, array[
    '经业主和居民议事会表决（同意 45 票，反对 3 票，弃权 4 票），决定在南苑建设电动自行车充电车棚。',
    '车棚选址南苑东侧空地，设 60 个充电口，扫码按度计费。',
    '费用由物业维修资金和街道补贴共同承担。',
    '对以上内容有异议的居民，请在公示期内在本页对具体段落提出异议，居委会将逐条答复。'], '按第 2 段的异议，充电口由 40 个增加到 60 个。',
   now() - interval '256 days' + interval '12 hours', now() - interval '250 days' + interval '12 hours', now() - interval '256 days' + interval '12 hours');
insert into public.objections (publication_id, revision, paragraph, reason, objector_id, created_at, answer, answer_reason, answered_by, answered_at, amended_in) values
  ('5eed0000-0000-4000-8000-000000004002', 1, 2, '南苑登记的电动车有一百多辆，40 个充电口晚上肯定不够用。',
   '5eed0000-0000-4000-8000-000000001002', now() - interval '256 days' + interval '5 hours', 'upheld',
   '采纳。按登记车辆数重新测算，增加到 60 个充电口。', '5eed0000-0000-4000-8000-000000001005', now() - interval '256 days' + interval '10 hours', 2),
  ('5eed0000-0000-4000-8000-000000004002', 1, 3, '没有电动车的人家也要出维修资金，不公平。',
   '5eed0000-0000-4000-8000-000000001006', now() - interval '256 days' + interval '8 hours', 'rejected',
   '车棚也解决了楼道停车和飞线充电的消防隐患，关系到每一户；维修资金的使用已经业主表决同意。', '5eed0000-0000-4000-8000-000000001005',
   now() - interval '254 days', null);
insert into public.issue_events (issue_id, actor_id, kind, action, reason, publication_id, created_at) values
  ('5eed0000-0000-4000-8000-000000002004', '5eed0000-0000-4000-8000-000000001005', 'published', null, null, '5eed0000-0000-4000-8000-000000004002', now() - interval '256 days' - interval '1 minute'),
  ('5eed0000-0000-4000-8000-000000002004', '5eed0000-0000-4000-8000-000000001002', 'objection_raised', null, null, '5eed0000-0000-4000-8000-000000004002', now() - interval '256 days' + interval '5 hours'),
  ('5eed0000-0000-4000-8000-000000002004', '5eed0000-0000-4000-8000-000000001006', 'objection_raised', null, null, '5eed0000-0000-4000-8000-000000004002', now() - interval '256 days' + interval '8 hours'),
  ('5eed0000-0000-4000-8000-000000002004', '5eed0000-0000-4000-8000-000000001005', 'objection_answered', 'upheld', '采纳。按登记车辆数重新测算，增加到 60 个充电口。', '5eed0000-0000-4000-8000-000000004002', now() - interval '256 days' + interval '10 hours'),
  ('5eed0000-0000-4000-8000-000000002004', '5eed0000-0000-4000-8000-000000001005', 'amended', null, '按第 2 段的异议，充电口由 40 个增加到 60 个。', '5eed0000-0000-4000-8000-000000004002', now() - interval '256 days' + interval '12 hours'),
  ('5eed0000-0000-4000-8000-000000002004', '5eed0000-0000-4000-8000-000000001005', 'objection_answered', 'rejected', '车棚也解决了楼道停车和飞线充电的消防隐患，关系到每一户；维修资金的使用已经业主表决同意。', '5eed0000-0000-4000-8000-000000004002', now() - interval '254 days'),
  ('5eed0000-0000-4000-8000-000000002004', null, 'publication_final', null, null, '5eed0000-0000-4000-8000-000000004002', now() - interval '250 days' + interval '12 hours');

-- The timeline reads in the order of its rows: these two issues' steps, publication steps among them, in time order.
with moved as (
  delete from public.issue_events
  where issue_id in ('5eed0000-0000-4000-8000-000000002004', '5eed0000-0000-4000-8000-000000002017') returning *
)
insert into public.issue_events (issue_id, actor_id, kind, action, from_status, to_status, reason, related_issue_id, publication_id, created_at)
select issue_id, actor_id, kind, action, from_status, to_status, reason, related_issue_id, publication_id, created_at
from moved order by issue_id, created_at, id;

-- ----------------------------------------------------------------------------
-- Transparency (公开透明): the street 亭林 above 横塘社区 with three more
-- communities, one of them with a small estate whose board is public (新郭花园,
-- so that a signed-out visitor finds a transparency page with something on
-- it), and a street administrator (亭林社工站 郑老师) who opens the roll-up.
-- Ids 5eed0000-0000-4000-8000-0000000062NN.
-- ----------------------------------------------------------------------------

insert into public.streets (id, name, district) values ('5eed0000-0000-4000-8000-000000006201', '亭林', '姑苏区');
update public.communities set street_id = '5eed0000-0000-4000-8000-000000006201' where id = '5eed0000-0000-4000-8000-000000000001';
insert into public.communities (id, name, district, street_id) values
  ('5eed0000-0000-4000-8000-000000006211', '新郭社区', '姑苏区', '5eed0000-0000-4000-8000-000000006201'),
  ('5eed0000-0000-4000-8000-000000006212', '石湖社区', '姑苏区', '5eed0000-0000-4000-8000-000000006201'),
  ('5eed0000-0000-4000-8000-000000006213', '彩香社区', '姑苏区', '5eed0000-0000-4000-8000-000000006201');

insert into public.estates (id, community_id, name, address, map_mode, center_lat, center_lng, zoom, board_public)
values ('5eed0000-0000-4000-8000-000000006221', '5eed0000-0000-4000-8000-000000006211', '新郭花园',
  '苏州市姑苏区新郭路12号', 'geographic', 31.280200, 120.590100, 17, true);
insert into public.areas (id, estate_id, kind, name, geometry) values
  ('5eed0000-0000-4000-8000-000000006231', '5eed0000-0000-4000-8000-000000006221', 'courtyard', '北院',
   pg_temp.rect(120.589600, 31.279800, 120.590600, 31.280600));
insert into public.areas (id, estate_id, parent_id, kind, name, geometry) values
  ('5eed0000-0000-4000-8000-000000006232', '5eed0000-0000-4000-8000-000000006221', '5eed0000-0000-4000-8000-000000006231', 'building', '1栋',
   pg_temp.rect(120.589800, 31.280000, 120.590000, 31.280200));

insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
  raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
select '00000000-0000-0000-0000-000000000000', id::uuid, 'authenticated', 'authenticated', email,
  extensions.crypt(password, extensions.gen_salt('bf', 10)), now(),
  '{"provider":"email","providers":["email"]}'::jsonb,
  jsonb_build_object('display_name', display_name, 'locale', 'zh-CN'), now(), now()
from (values
  ('5eed0000-0000-4000-8000-000000006251', 'street@demo.linyi.org', 'linyi-street-2026', '亭林社工站 郑老师'),
  ('5eed0000-0000-4000-8000-000000006252', 'xinguo@demo.linyi.org', 'linyi-resident-2026', '新郭居民 钱阿婆')
) as v (id, email, password, display_name);
insert into public.memberships (estate_id, user_id, status, decided_at) values
  ('5eed0000-0000-4000-8000-000000006221', '5eed0000-0000-4000-8000-000000006252', 'verified', now() - interval '200 days');
insert into public.street_admins (street_id, user_id, granted_by) values
  ('5eed0000-0000-4000-8000-000000006201', '5eed0000-0000-4000-8000-000000006251', '5eed0000-0000-4000-8000-000000001007');

-- 新郭花园's issues, each with its steps in days before today: the timeline the roll-ups are kept from.
do $$
declare
  r record;
  v_step text;
  v_from text;
  v_to text;
  v_days integer;
begin
  for r in select * from (values
    ('5eed0000-0000-4000-8000-000000006241'::uuid, '北院健身器材更新', 'facilities', 120, array['accepted:115', 'approved:95', 'in_progress:80', 'completed:60']),
    ('5eed0000-0000-4000-8000-000000006242'::uuid, '1栋楼道扶手加装', 'elderly_children', 90, array['accepted:88', 'approved:70', 'in_progress:55', 'completed:41']),
    ('5eed0000-0000-4000-8000-000000006243'::uuid, '北院增设休息长椅', 'facilities', 75, array['accepted:70', 'approved:52', 'in_progress:20']),
    ('5eed0000-0000-4000-8000-000000006244'::uuid, '垃圾分类定时定点', 'sanitation', 150, array['accepted:146', 'following_up:140']),
    ('5eed0000-0000-4000-8000-000000006245'::uuid, '非机动车乱停放', 'parking', 40, array['accepted:36']),
    ('5eed0000-0000-4000-8000-000000006246'::uuid, '楼下广场舞音量', 'other', 12, array[]::text[]),
    ('5eed0000-0000-4000-8000-000000006247'::uuid, '屋顶加装光伏板', 'renovation', 100, array['accepted:96', 'rejected:80'])
  ) as v (id, title, category, proposed_days, steps)
  loop
    insert into public.issues (id, estate_id, area_id, category, title, body, status, author_id, created_at, last_activity_at)
    values (r.id, '5eed0000-0000-4000-8000-000000006221', '5eed0000-0000-4000-8000-000000006231', r.category, r.title,
      r.title || '，居民在议事会上提出。', 'proposed', '5eed0000-0000-4000-8000-000000006252',
      now() - make_interval(days => r.proposed_days), now() - make_interval(days => r.proposed_days));
    update public.issue_events set created_at = now() - make_interval(days => r.proposed_days) where issue_id = r.id;
    v_from := 'proposed';
    foreach v_step in array r.steps loop
      v_to := split_part(v_step, ':', 1);
      v_days := split_part(v_step, ':', 2)::integer;
      update public.issues set status = v_to, last_activity_at = now() - make_interval(days => v_days) where id = r.id;
      insert into public.issue_events (issue_id, kind, action, from_status, to_status, created_at)
      values (r.id, 'transition', case v_to when 'accepted' then 'accept' when 'following_up' then 'follow_up' when 'in_progress' then 'start_work'
        when 'completed' then 'complete' else null end, v_from, v_to, now() - make_interval(days => v_days));
      v_from := v_to;
    end loop;
  end loop;
end
$$;
-- The meeting room (议事会现场): 晋邻's council is in session in 晋源水岸花苑,
-- chaired and moderated by 赵老师 (moderator@). On its current item, 东苑地面
-- 停车位重新划线, 李先生's motion is seconded by 孙师傅 and in debate; 小陈 has
-- spoken for it, 张奶奶 (no account, checked in by 赵老师) waits against it,
-- 孙师傅 with a question. 王阿姨, 李先生, 周主任 are in the room and may raise a
-- hand; moderator@ gives the floor in the order the rules take.
--   meeting 5eed…5201, items …5202 (current) …5203, motion …5220
-- ----------------------------------------------------------------------------
insert into public.meetings (id, estate_id, kind, title, description, starts_at, ends_at, place, chair_id, recorder_id, status,
  checkin_code, created_by, opened_at, created_at) values
  ('5eed0000-0000-4000-8000-000000005201', '5eed0000-0000-4000-8000-000000000101', 'council', '晋邻议事会：东苑停车与楼道整治',
   '晋邻志愿分队和居民代表议事，按南塘议事规则进行。', now() - interval '25 minutes', now() + interval '95 minutes', '晋源水岸花苑社区活动室',
   '5eed0000-0000-4000-8000-000000001004', '5eed0000-0000-4000-8000-000000001003', 'in_session', '526201',
   '5eed0000-0000-4000-8000-000000001004', now() - interval '20 minutes', now() - interval '7 days');
insert into public.agenda_items (id, meeting_id, position, title, planned_minutes, status, started_at) values
  ('5eed0000-0000-4000-8000-000000005202', '5eed0000-0000-4000-8000-000000005201', 1, '东苑地面停车位重新划线', 40, 'current', now() - interval '20 minutes'),
  ('5eed0000-0000-4000-8000-000000005203', '5eed0000-0000-4000-8000-000000005201', 2, '楼道堆物清理周', 30, 'pending', null);
update public.meetings set current_item_id = '5eed0000-0000-4000-8000-000000005202' where id = '5eed0000-0000-4000-8000-000000005201';
insert into public.meeting_attendance (id, meeting_id, user_id, name, registered_at, checked_in_at, checked_in_by) values
  ('5eed0000-0000-4000-8000-000000005210', '5eed0000-0000-4000-8000-000000005201', '5eed0000-0000-4000-8000-000000001001', null, now() - interval '3 days', now() - interval '24 minutes', null),
  ('5eed0000-0000-4000-8000-000000005211', '5eed0000-0000-4000-8000-000000005201', '5eed0000-0000-4000-8000-000000001002', null, now() - interval '3 days', now() - interval '23 minutes', null),
  ('5eed0000-0000-4000-8000-000000005212', '5eed0000-0000-4000-8000-000000005201', '5eed0000-0000-4000-8000-000000001003', null, now() - interval '2 days', now() - interval '26 minutes', null),
  ('5eed0000-0000-4000-8000-000000005213', '5eed0000-0000-4000-8000-000000005201', '5eed0000-0000-4000-8000-000000001006', null, now() - interval '2 days', now() - interval '22 minutes', null),
  ('5eed0000-0000-4000-8000-000000005214', '5eed0000-0000-4000-8000-000000005201', '5eed0000-0000-4000-8000-000000001005', null, now() - interval '1 day', now() - interval '21 minutes', null),
  ('5eed0000-0000-4000-8000-000000005215', '5eed0000-0000-4000-8000-000000005201', null, '张奶奶', null, now() - interval '21 minutes', '5eed0000-0000-4000-8000-000000001004'),
  ('5eed0000-0000-4000-8000-000000005216', '5eed0000-0000-4000-8000-000000005201', '5eed0000-0000-4000-8000-000000001004', null, now() - interval '7 days', now() - interval '27 minutes', null);
insert into public.motions (id, meeting_id, agenda_item_id, mover_id, body, status, moved_at, debate_opened_at) values
  ('5eed0000-0000-4000-8000-000000005220', '5eed0000-0000-4000-8000-000000005201', '5eed0000-0000-4000-8000-000000005202',
   '5eed0000-0000-4000-8000-000000005211', '东苑地面停车位按现有 48 个重新划线，留出 4 米宽的消防通道，由物业在本月底前完成。', 'debating',
   now() - interval '15 minutes', now() - interval '14 minutes');
insert into public.motion_seconds (motion_id, attendance_id, created_at) values
  ('5eed0000-0000-4000-8000-000000005220', '5eed0000-0000-4000-8000-000000005213', now() - interval '14 minutes');
insert into public.speeches (id, meeting_id, motion_id, attendance_id, stance, status, queued_at, queued_by, floor_at, ends_at, ended_at) values
  ('5eed0000-0000-4000-8000-000000005230', '5eed0000-0000-4000-8000-000000005201', '5eed0000-0000-4000-8000-000000005220', '5eed0000-0000-4000-8000-000000005212',
   'for', 'done', now() - interval '13 minutes', '5eed0000-0000-4000-8000-000000001003', now() - interval '10 minutes', now() - interval '8 minutes', now() - interval '8 minutes' - interval '10 seconds'),
  ('5eed0000-0000-4000-8000-000000005231', '5eed0000-0000-4000-8000-000000005201', '5eed0000-0000-4000-8000-000000005220', '5eed0000-0000-4000-8000-000000005215',
   'against', 'waiting', now() - interval '9 minutes', '5eed0000-0000-4000-8000-000000001004', null, null, null),
  ('5eed0000-0000-4000-8000-000000005232', '5eed0000-0000-4000-8000-000000005201', '5eed0000-0000-4000-8000-000000005220', '5eed0000-0000-4000-8000-000000005213',
   'question', 'waiting', now() - interval '7 minutes', '5eed0000-0000-4000-8000-000000001006', null, null, null);
insert into public.meeting_events (meeting_id, at, actor_id, kind, agenda_item_id, motion_id, payload) values
  ('5eed0000-0000-4000-8000-000000005201', now() - interval '20 minutes', '5eed0000-0000-4000-8000-000000001004', 'meeting_opened', '5eed0000-0000-4000-8000-000000005202', null, '{}'),
  ('5eed0000-0000-4000-8000-000000005201', now() - interval '20 minutes', '5eed0000-0000-4000-8000-000000001004', 'item_started', '5eed0000-0000-4000-8000-000000005202', null, '{}'),
  ('5eed0000-0000-4000-8000-000000005201', now() - interval '15 minutes', '5eed0000-0000-4000-8000-000000001002', 'motion_moved', '5eed0000-0000-4000-8000-000000005202', '5eed0000-0000-4000-8000-000000005220', '{"mover":"5eed0000-0000-4000-8000-000000005211"}'),
  ('5eed0000-0000-4000-8000-000000005201', now() - interval '14 minutes', '5eed0000-0000-4000-8000-000000001006', 'motion_seconded', '5eed0000-0000-4000-8000-000000005202', '5eed0000-0000-4000-8000-000000005220', '{"by":"5eed0000-0000-4000-8000-000000005213"}'),
  ('5eed0000-0000-4000-8000-000000005201', now() - interval '14 minutes', '5eed0000-0000-4000-8000-000000001006', 'debate_opened', '5eed0000-0000-4000-8000-000000005202', '5eed0000-0000-4000-8000-000000005220', '{}'),
  ('5eed0000-0000-4000-8000-000000005201', now() - interval '13 minutes', '5eed0000-0000-4000-8000-000000001003', 'hand_raised', '5eed0000-0000-4000-8000-000000005202', '5eed0000-0000-4000-8000-000000005220', '{"speech":"5eed0000-0000-4000-8000-000000005230","stance":"for"}'),
  ('5eed0000-0000-4000-8000-000000005201', now() - interval '10 minutes', '5eed0000-0000-4000-8000-000000001004', 'floor_given', '5eed0000-0000-4000-8000-000000005202', '5eed0000-0000-4000-8000-000000005220', '{"speech":"5eed0000-0000-4000-8000-000000005230","stance":"for"}'),
  ('5eed0000-0000-4000-8000-000000005201', now() - interval '9 minutes', '5eed0000-0000-4000-8000-000000001004', 'hand_raised', '5eed0000-0000-4000-8000-000000005202', '5eed0000-0000-4000-8000-000000005220', '{"speech":"5eed0000-0000-4000-8000-000000005231","stance":"against"}'),
  ('5eed0000-0000-4000-8000-000000005201', now() - interval '8 minutes', '5eed0000-0000-4000-8000-000000001004', 'speech_ended', null, '5eed0000-0000-4000-8000-000000005220', '{"speech":"5eed0000-0000-4000-8000-000000005230","seconds":110,"overtime":false}'),
  ('5eed0000-0000-4000-8000-000000005201', now() - interval '7 minutes', '5eed0000-0000-4000-8000-000000001006', 'hand_raised', '5eed0000-0000-4000-8000-000000005202', '5eed0000-0000-4000-8000-000000005220', '{"speech":"5eed0000-0000-4000-8000-000000005232","stance":"question"}');

do $$
declare
  v_column text;
begin
  for v_column in
    select column_name from information_schema.columns
    where table_schema = 'auth' and table_name = 'users'
      and column_name in ('confirmation_token', 'recovery_token', 'email_change_token_new',
        'email_change_token_current', 'email_change', 'phone_change', 'phone_change_token', 'reauthentication_token')
  loop
    execute format('update auth.users set %I = '''' where %I is null and email like ''%%@demo.linyi.org''',
      v_column, v_column);
  end loop;
  if to_regclass('auth.identities') is not null then
    execute $sql$
      insert into auth.identities (provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
      select u.id::text, u.id,
        jsonb_build_object('sub', u.id::text, 'email', u.email, 'email_verified', true, 'phone_verified', false),
        'email', now(), now(), now()
      from auth.users u where u.email like '%@demo.linyi.org'
    $sql$;
  end if;
end
$$;

-- ----------------------------------------------------------------------------
-- Meetings (议事会): scheduling, agenda, attendance and proxies. 王阿姨 asked
-- for benches beside 东苑's fitness corner; the committee accepted it, and
-- 赵老师 (moderator@) put it on the agenda of the volunteer team's council
-- next Thursday evening, chaired by 赵老师 and recorded by 小陈, open to every
-- verified resident: 王阿姨, 李先生 and 孙师傅 have registered, and 李先生
-- holds the proxy of 张奶奶 of 5栋 (who has no account). Three weeks ago the
-- team's council on 南苑's benches met and closed. The door's check-in code
-- of next week's council is 246810. Written directly, with the fixed ids
-- 5eed0000-0000-4000-8000-0000000051NN.
-- ----------------------------------------------------------------------------

insert into public.issues (id, estate_id, area_id, point_x, point_y, author_id, title, body, category, status, created_at, last_activity_at)
select '5eed0000-0000-4000-8000-000000005150', a.estate_id, a.id, round(120.578600 + 80 / 95100.0, 7), round(31.290400 + 58 / 110900.0, 7),
  '5eed0000-0000-4000-8000-000000001001',
  '东苑健身区旁边增设几张休息座椅',
  '东苑健身器材旁边没有地方坐，老人锻炼完只能站着或坐在花坛边上。希望添几张带靠背的座椅。',
  'facilities', 'proposed', now() - interval '9 days', now() - interval '2 days'
from public.areas a where a.estate_id = '5eed0000-0000-4000-8000-000000000101' and a.kind = 'courtyard' and a.name = '东苑';
update public.issues set status = 'deliberating' where id = '5eed0000-0000-4000-8000-000000005150';
update public.issue_events set created_at = now() - interval '9 days'
where issue_id = '5eed0000-0000-4000-8000-000000005150' and kind = 'proposed';
insert into public.issue_supports (issue_id, user_id, created_at) values
  ('5eed0000-0000-4000-8000-000000005150', '5eed0000-0000-4000-8000-000000001002', now() - interval '8 days'),
  ('5eed0000-0000-4000-8000-000000005150', '5eed0000-0000-4000-8000-000000001006', now() - interval '8 days');

insert into public.meetings (id, estate_id, kind, title, description, starts_at, ends_at, place, chair_id, recorder_id,
  admission, status, checkin_code, created_by, created_at, updated_at)
values
  ('5eed0000-0000-4000-8000-000000005101', '5eed0000-0000-4000-8000-000000000101', 'council', '东苑休息座椅议事会',
   '晋邻志愿服务队召集，议一议东苑健身区旁增设座椅的位置和数量。欢迎居民参加，会前请报名。',
   (date_trunc('day', now() at time zone 'Asia/Shanghai') + interval '7 days 19 hours') at time zone 'Asia/Shanghai',
   (date_trunc('day', now() at time zone 'Asia/Shanghai') + interval '7 days 20 hours 30 minutes') at time zone 'Asia/Shanghai',
   '晋源社区党群服务中心二楼议事厅', '5eed0000-0000-4000-8000-000000001004', '5eed0000-0000-4000-8000-000000001003',
   'open', 'scheduled', '246810', '5eed0000-0000-4000-8000-000000001004', now() - interval '2 days', now() - interval '2 days'),
  ('5eed0000-0000-4000-8000-000000005102', '5eed0000-0000-4000-8000-000000000101', 'council', '南苑座椅位置议事会',
   '晋邻志愿服务队召集，先议座椅放在哪里，再交居民表决。',
   now() - interval '21 days', now() - interval '21 days' + interval '90 minutes',
   '晋源社区党群服务中心二楼议事厅', '5eed0000-0000-4000-8000-000000001004', '5eed0000-0000-4000-8000-000000001003',
   'open', 'closed', '135790', '5eed0000-0000-4000-8000-000000001004', now() - interval '28 days', now() - interval '21 days');
update public.meetings set opened_at = starts_at, closed_at = ends_at where id = '5eed0000-0000-4000-8000-000000005102';

insert into public.agenda_items (id, meeting_id, position, issue_id, title, planned_minutes, status) values
  ('5eed0000-0000-4000-8000-000000005111', '5eed0000-0000-4000-8000-000000005101', 1, '5eed0000-0000-4000-8000-000000005150',
   '东苑健身区旁边增设几张休息座椅', 40, 'pending'),
  ('5eed0000-0000-4000-8000-000000005112', '5eed0000-0000-4000-8000-000000005101', 2, null, '其他事项', 15, 'pending'),
  ('5eed0000-0000-4000-8000-000000005113', '5eed0000-0000-4000-8000-000000005102', 1, '5eed0000-0000-4000-8000-000000002001',
   '南苑中心花园增设休息座椅的位置', 60, 'done');

-- The benches of 东苑: accepted, then on the council's agenda (the lifecycle's put_on_agenda step).
insert into public.issue_events (issue_id, actor_id, kind, action, from_status, to_status, reason, meeting_id, created_at) values
  ('5eed0000-0000-4000-8000-000000005150', '5eed0000-0000-4000-8000-000000001005', 'transition', 'accept', 'proposed', 'accepted', null, null, now() - interval '7 days'),
  ('5eed0000-0000-4000-8000-000000005150', '5eed0000-0000-4000-8000-000000001004', 'transition', 'put_on_agenda', 'accepted', 'deliberating', null, null, now() - interval '2 days'),
  ('5eed0000-0000-4000-8000-000000005150', '5eed0000-0000-4000-8000-000000001004', 'on_agenda', 'put_on_agenda', null, null,
   '东苑休息座椅议事会', '5eed0000-0000-4000-8000-000000005101', now() - interval '2 days');

insert into public.meeting_attendance (id, meeting_id, user_id, name, unit_id, registered_at, checked_in_at, checked_in_by, checked_out_at) values
  ('5eed0000-0000-4000-8000-000000005121', '5eed0000-0000-4000-8000-000000005101', '5eed0000-0000-4000-8000-000000001001', null, null, now() - interval '1 day', null, null, null),
  ('5eed0000-0000-4000-8000-000000005122', '5eed0000-0000-4000-8000-000000005101', '5eed0000-0000-4000-8000-000000001002', null, null, now() - interval '1 day', null, null, null),
  ('5eed0000-0000-4000-8000-000000005123', '5eed0000-0000-4000-8000-000000005101', '5eed0000-0000-4000-8000-000000001006', null, null, now() - interval '20 hours', null, null, null),
  ('5eed0000-0000-4000-8000-000000005124', '5eed0000-0000-4000-8000-000000005102', '5eed0000-0000-4000-8000-000000001001', null, null, now() - interval '24 days',
   now() - interval '21 days', null, now() - interval '21 days' + interval '90 minutes'),
  ('5eed0000-0000-4000-8000-000000005125', '5eed0000-0000-4000-8000-000000005102', '5eed0000-0000-4000-8000-000000001002', null, null, now() - interval '24 days',
   now() - interval '21 days', null, now() - interval '21 days' + interval '90 minutes'),
  ('5eed0000-0000-4000-8000-000000005126', '5eed0000-0000-4000-8000-000000005102', null, '刘奶奶',
   pg_temp.unit_id('5eed0000-0000-4000-8000-000000000101', '9栋', '', '301'), null,
   now() - interval '21 days', '5eed0000-0000-4000-8000-000000001004', now() - interval '21 days' + interval '90 minutes');

insert into public.meeting_proxies (id, meeting_id, holder_id, absent_name, absent_unit_id, recorded_by, created_at) values
  ('5eed0000-0000-4000-8000-000000005131', '5eed0000-0000-4000-8000-000000005101', '5eed0000-0000-4000-8000-000000005122', '张奶奶',
   pg_temp.unit_id('5eed0000-0000-4000-8000-000000000101', '5栋', '', '702'), '5eed0000-0000-4000-8000-000000001004', now() - interval '1 day');

insert into public.meeting_events (meeting_id, actor_id, kind, agenda_item_id, payload, at) values
  ('5eed0000-0000-4000-8000-000000005102', '5eed0000-0000-4000-8000-000000001004', 'scheduled', null, '{}', now() - interval '28 days'),
  ('5eed0000-0000-4000-8000-000000005102', '5eed0000-0000-4000-8000-000000001004', 'agenda_added', '5eed0000-0000-4000-8000-000000005113', '{}', now() - interval '28 days'),
  ('5eed0000-0000-4000-8000-000000005101', '5eed0000-0000-4000-8000-000000001004', 'scheduled', null, '{}', now() - interval '2 days'),
  ('5eed0000-0000-4000-8000-000000005101', '5eed0000-0000-4000-8000-000000001004', 'agenda_added', '5eed0000-0000-4000-8000-000000005111', '{}', now() - interval '2 days'),
  ('5eed0000-0000-4000-8000-000000005101', '5eed0000-0000-4000-8000-000000001004', 'agenda_added', '5eed0000-0000-4000-8000-000000005112', '{}', now() - interval '2 days'),
  ('5eed0000-0000-4000-8000-000000005101', '5eed0000-0000-4000-8000-000000001001', 'registered', null, '{"attendance_id": "5eed0000-0000-4000-8000-000000005121"}', now() - interval '1 day'),
  ('5eed0000-0000-4000-8000-000000005101', '5eed0000-0000-4000-8000-000000001002', 'registered', null, '{"attendance_id": "5eed0000-0000-4000-8000-000000005122"}', now() - interval '1 day'),
  ('5eed0000-0000-4000-8000-000000005101', '5eed0000-0000-4000-8000-000000001004', 'proxy_recorded', null, '{"proxy_id": "5eed0000-0000-4000-8000-000000005131"}', now() - interval '1 day'),
  ('5eed0000-0000-4000-8000-000000005101', '5eed0000-0000-4000-8000-000000001006', 'registered', null, '{"attendance_id": "5eed0000-0000-4000-8000-000000005123"}', now() - interval '20 hours');

drop table seed_area;
drop function pg_temp.unit_id(uuid, text, text, text), pg_temp.person_name(integer),
  pg_temp.metres_rect(numeric, numeric, numeric, numeric), pg_temp.rect(numeric, numeric, numeric, numeric);

-- ----------------------------------------------------------------------------
-- Micro-wishes (微心愿) and the thanks wall (公益榜) of 晋源水岸花苑: 志愿者 小陈
-- (volunteer@) posted both on behalf of elderly residents without an account,
-- 主持人 赵老师 (moderator@) checked them by phone and at the door. One is open,
-- waiting for a claimer (party@ or volunteer@ can try it); the other was
-- claimed by 党员 孙师傅 (party@), fulfilled and confirmed by 小陈, and its
-- thanks are on the wall. Ids 5eed…72NN. The residents' details are invented.
-- ----------------------------------------------------------------------------
insert into public.wishes (id, estate_id, area_id, title, body, category, estimated_cost, shown_name, status,
  created_at, vetted_at, claimer_name, claimed_at, fulfil_note, fulfilled_at, thanks, confirmed_at)
select v.id::uuid, '5eed0000-0000-4000-8000-000000000101', a.id, v.title, v.body, v.category, v.cost, v.shown_name, v.status,
  now() - v.age, now() - v.age + interval '1 day', v.claimer_name, case when v.claimer_name is not null then now() - v.age + interval '2 days' end,
  v.fulfil_note, case when v.fulfil_note is not null then now() - v.age + interval '5 days' end,
  v.thanks, case when v.status = 'confirmed' then now() - v.age + interval '6 days' end
from (values
  ('5eed0000-0000-4000-8000-000000007201', '6栋', '想要一副老花镜', '老人看报纸、看药盒上的字很吃力，想配一副 300 度左右的老花镜。',
    'health', 60.00, '某叔叔', 'open', interval '3 days', null, null, null),
  ('5eed0000-0000-4000-8000-000000007202', '3栋', '想要一台收音机', '老人独居，眼睛不好，平时喜欢听戏，家里的收音机坏了。',
    'daily', 80.00, '某阿姨', 'confirmed', interval '20 days', '党员 孙师傅',
    '送去一台大按键的收音机，调好了戏曲频道，教会了老人开关和换台。', '谢谢孙师傅，现在每天都能听戏了！')
) v (id, area, title, body, category, cost, shown_name, status, age, claimer_name, fulfil_note, thanks)
join public.areas a on a.estate_id = '5eed0000-0000-4000-8000-000000000101' and a.name = v.area;

insert into public.wish_details (wish_id, estate_id, guardian_id, resident_name, unit_text, phone, vet_note, vetted_by, claimed_by, confirmed_by) values
  ('5eed0000-0000-4000-8000-000000007201', '5eed0000-0000-4000-8000-000000000101', '5eed0000-0000-4000-8000-000000001003',
    '刘德顺', '6栋 302', '13800000000', '电话核实：老人独居，子女在外地。', '5eed0000-0000-4000-8000-000000001004', null, null),
  ('5eed0000-0000-4000-8000-000000007202', '5eed0000-0000-4000-8000-000000000101', '5eed0000-0000-4000-8000-000000001003',
    '张桂芳', '3栋 501', '13800000001', '入户走访核实。', '5eed0000-0000-4000-8000-000000001004',
    '5eed0000-0000-4000-8000-000000001006', '5eed0000-0000-4000-8000-000000001003');

-- (The transaction goes on: each capability's demo follows, the last one commits.)

-- ============================================================================
-- Progress tracking (plans, work items, milestones, progress notes): the
-- story the data tells. Rows 5eed…61NN (NN in hex), the new issue …2101.
--   * 晋源水岸花苑's 10 solved issues each have a plan with three milestones,
--     all done; the last one's evidence is the note the committee wrote when
--     it finished (the seed has no photo files, so they show 无照片).
--   * Its 3 followed-up matters (waste sorting, dog rules, things thrown from
--     10栋) have monthly check-ins: three done with a note, the next one open.
--   * 采莲新村's renovation for its 624 households is in progress: façades,
--     roofs, rain/sewage separation, roads and parking (two sub-items of its
--     own), with some milestones done, and the lift retrofit left out of the
--     roll-up with its reason.
-- Ids: plans of 晋源 …6110–611c (issue …2002–2014), their milestones
-- …6120–614f, notes …61b0–61df; 采莲 items …6100–6108, milestones …6180–619f.
-- ============================================================================

-- 晋源水岸花苑: plans of the solved issues, from their start (21 days after the proposal) to their completion (45).
insert into public.work_items (id, issue_id, estate_id, parent_id, position, title, responsible_kind, responsible, planned_start, planned_end, weight, created_by, created_at)
select ('5eed0000-0000-4000-8000-0000000061' || to_hex(16 + n - 2))::uuid, i.id, i.estate_id, null, 0, '实施计划',
  case when i.status = 'completed' then 'contractor' else 'committee_member' end,
  case when i.status = 'completed' then '物业服务中心及施工单位' else '居委会 陈主任' end,
  (i.created_at + interval '21 days')::date, case when i.status = 'completed' then (i.created_at + interval '45 days')::date end,
  1, '5eed0000-0000-4000-8000-000000001005', i.created_at + interval '20 days'
from generate_series(2, 14) n
join public.issues i on i.id = ('5eed0000-0000-4000-8000-0000000020' || lpad(n::text, 2, '0'))::uuid;

-- Three milestones each (进场, 主体完工, 验收), all done; the last weighs least.
insert into public.milestones (id, item_id, issue_id, estate_id, position, title, planned_on, weight, done_at, done_by, created_at)
select ('5eed0000-0000-4000-8000-0000000061' || to_hex(32 + (n - 2) * 3 + k))::uuid, w.id, w.issue_id, w.estate_id, k, m.title,
  (i.created_at + make_interval(days => m.day))::date, m.weight, i.created_at + make_interval(days => m.day, hours => 10),
  '5eed0000-0000-4000-8000-000000001005', i.created_at + interval '20 days'
from generate_series(2, 11) n
join public.issues i on i.id = ('5eed0000-0000-4000-8000-0000000020' || lpad(n::text, 2, '0'))::uuid
join public.work_items w on w.issue_id = i.id and w.parent_id is null
cross join (values (0, '进场施工', 24, 1), (1, '主体完工', 40, 2), (2, '验收交付', 45, 1)) as m (k, title, day, weight);

-- The committee's note when it finished: the last milestone's evidence (a note, no photo).
insert into public.progress_updates (id, issue_id, estate_id, item_id, note, author_id, created_at)
select ('5eed0000-0000-4000-8000-0000000061' || to_hex(176 + n - 2))::uuid, i.id, i.estate_id, w.id,
  coalesce((select ev.reason from public.issue_events ev where ev.issue_id = i.id and ev.action = 'complete'), '已完工。'),
  '5eed0000-0000-4000-8000-000000001005', i.created_at + interval '45 days 10 hours'
from generate_series(2, 11) n
join public.issues i on i.id = ('5eed0000-0000-4000-8000-0000000020' || lpad(n::text, 2, '0'))::uuid
join public.work_items w on w.issue_id = i.id and w.parent_id is null;
update public.milestones m set evidence_id = u.id
from public.progress_updates u where u.item_id = m.item_id and m.position = 2 and m.id::text like '5eed0000-0000-4000-8000-0000000061%';

-- The followed-up matters: a check-in a month, three done with a note, the next one open.
insert into public.milestones (id, item_id, issue_id, estate_id, position, title, planned_on, weight, done_at, done_by, created_at)
select ('5eed0000-0000-4000-8000-0000000061' || to_hex(32 + (n - 2) * 3 + k - 1 + (n - 12)))::uuid, w.id, w.issue_id, w.estate_id, k - 1,
  '第 ' || k || ' 次巡查', (i.created_at + make_interval(days => 10 + 30 * k))::date, 1,
  case when k <= 3 and i.created_at + make_interval(days => 10 + 30 * k) < now() then i.created_at + make_interval(days => 10 + 30 * k, hours => 9) end,
  case when k <= 3 and i.created_at + make_interval(days => 10 + 30 * k) < now() then '5eed0000-0000-4000-8000-000000001005'::uuid end,
  i.created_at + interval '10 days'
from generate_series(12, 14) n
join public.issues i on i.id = ('5eed0000-0000-4000-8000-0000000020' || lpad(n::text, 2, '0'))::uuid
join public.work_items w on w.issue_id = i.id and w.parent_id is null
cross join generate_series(1, 4) k;
insert into public.progress_updates (id, issue_id, estate_id, item_id, note, author_id, created_at)
select ('5eed0000-0000-4000-8000-0000000061' || to_hex(192 + (n - 12) * 3 + m.position))::uuid, i.id, i.estate_id, m.item_id,
  case n when 12 then (array['东苑新增一个投放点，早上延长到九点半。', '加设晚间 19:00–21:00 投放时段，桶边乱扔少了一半。', '志愿者轮流值守两周，分类准确率明显提高。'])[m.position + 1]
         when 13 then (array['发放牵引绳和拾便袋，张贴文明养犬公约。', '南苑草坪增设两个拾便箱。', '晚间巡查未拴绳的犬只明显减少。'])[m.position + 1]
         else (array['10栋每户发放提示信，安装高空抛物监控。', '监控已通电，楼栋长入户走访。', '本月未再发现高空抛物。'])[m.position + 1] end,
  '5eed0000-0000-4000-8000-000000001005', m.done_at
from generate_series(12, 14) n
join public.issues i on i.id = ('5eed0000-0000-4000-8000-0000000020' || lpad(n::text, 2, '0'))::uuid
join public.milestones m on m.issue_id = i.id and m.done_at is not null;
update public.milestones m set evidence_id = u.id
from public.progress_updates u where u.item_id = m.item_id and u.created_at = m.done_at and m.evidence_id is null
  and m.issue_id in (select id from public.issues where estate_id = '5eed0000-0000-4000-8000-000000000101');

-- 采莲新村: its renovation, decided by the owners and publicized, in progress for about three months.
insert into public.issues (id, estate_id, area_id, category, title, body, status, author_id, created_at, last_activity_at)
select '5eed0000-0000-4000-8000-000000002101', a.estate_id, a.id, 'renovation', '采莲新村老旧小区综合改造',
  '1986 年建成的老小区，外墙渗水、屋面漏雨、雨污混流、道路坑洼、停车无序。按老旧小区改造计划，对 624 户所在的全部楼幢实施综合改造：外立面、屋面、雨污分流、道路和停车。',
  'proposed', '5eed0000-0000-4000-8000-000000001005', now() - interval '200 days', now() - interval '200 days'
from public.areas a where a.estate_id = '5eed0000-0000-4000-8000-000000000102' and a.name = '一区';
update public.issue_events set created_at = now() - interval '200 days' where issue_id = '5eed0000-0000-4000-8000-000000002101';
insert into public.issue_events (issue_id, actor_id, kind, action, from_status, to_status, reason, created_at)
select '5eed0000-0000-4000-8000-000000002101', '5eed0000-0000-4000-8000-000000001005', 'transition', st.action, st.from_status, st.to_status, st.reason,
  now() - make_interval(days => st.ago)
from (values
  ('accept', 'proposed', 'accepted', null::text, 198),
  ('deliberate', 'accepted', 'deliberating', '分区召开居民议事会，听取各楼幢意见。', 190),
  ('open_vote', 'deliberating', 'voting', null, 150),
  ('close_vote', 'voting', 'approved', '业主共同决定：参与面积和人数均超过三分之二，同意过半。', 136),
  ('publicize', 'approved', 'publicized', '改造方案公示 7 天。', 130),
  ('start_work', 'publicized', 'in_progress', '公示期满，无异议，开工。', 95)
) as st (action, from_status, to_status, reason, ago);
update public.issues set status = 'in_progress', last_activity_at = now() - interval '3 days' where id = '5eed0000-0000-4000-8000-000000002101';

insert into public.work_items (id, issue_id, estate_id, parent_id, position, title, responsible_kind, responsible, planned_start, planned_end, budget, weight, excluded, exclusion_reason, created_by, created_at)
select x.id::uuid, '5eed0000-0000-4000-8000-000000002101', '5eed0000-0000-4000-8000-000000000102', x.parent::uuid, x.pos, x.title, x.kind, x.who,
  (now() - make_interval(days => x.start_ago))::date, (now() + make_interval(days => x.end_in))::date, x.budget, x.weight, x.excluded, x.reason,
  '5eed0000-0000-4000-8000-000000001005', now() - interval '120 days'
from (values
  ('5eed0000-0000-4000-8000-000000006100', null, 0, '综合改造', 'contractor', '苏州城建集团', 95, 270, 18600000.00, 1, false, null),
  ('5eed0000-0000-4000-8000-000000006101', '5eed0000-0000-4000-8000-000000006100', 0, '外立面', 'contractor', '苏州城建集团 第一项目部', 95, 120, 6200000.00, 3, false, null),
  ('5eed0000-0000-4000-8000-000000006102', '5eed0000-0000-4000-8000-000000006100', 1, '屋面', 'contractor', '苏州城建集团 第二项目部', 80, 60, 3100000.00, 2, false, null),
  ('5eed0000-0000-4000-8000-000000006103', '5eed0000-0000-4000-8000-000000006100', 2, '雨污分流', 'contractor', '苏州市政工程公司', 60, 180, 4800000.00, 3, false, null),
  ('5eed0000-0000-4000-8000-000000006104', '5eed0000-0000-4000-8000-000000006100', 3, '道路', 'contractor', '苏州市政工程公司', -30, 240, 2500000.00, 1, false, null),
  ('5eed0000-0000-4000-8000-000000006105', '5eed0000-0000-4000-8000-000000006100', 4, '停车', 'committee_member', '居委会 陈主任', 40, 200, 2000000.00, 1, false, null),
  ('5eed0000-0000-4000-8000-000000006106', '5eed0000-0000-4000-8000-000000006105', 0, '非机动车棚与充电', 'team', '采莲志愿服务队', 40, 60, 800000.00, 1, false, null),
  ('5eed0000-0000-4000-8000-000000006107', '5eed0000-0000-4000-8000-000000006105', 1, '机动车位划线', 'contractor', '苏州市政工程公司', -60, 200, 1200000.00, 1, false, null),
  ('5eed0000-0000-4000-8000-000000006108', '5eed0000-0000-4000-8000-000000006100', 5, '加装电梯', 'committee_member', '居委会 陈主任', null, null, null, 1, true, '按楼幢另行表决、另行立项，不计入本次改造进度')
) as x (id, parent, pos, title, kind, who, start_ago, end_in, budget, weight, excluded, reason);

insert into public.milestones (id, item_id, issue_id, estate_id, position, title, planned_on, weight, done_at, done_by, created_at)
select x.id::uuid, x.item::uuid, '5eed0000-0000-4000-8000-000000002101', '5eed0000-0000-4000-8000-000000000102', x.pos, x.title,
  (now() - make_interval(days => x.planned_ago))::date, x.weight,
  case when x.done_ago is not null then now() - make_interval(days => x.done_ago) end,
  case when x.done_ago is not null then '5eed0000-0000-4000-8000-000000001005'::uuid end, now() - interval '120 days'
from (values
  ('5eed0000-0000-4000-8000-000000006180', '5eed0000-0000-4000-8000-000000006101', 0, '一区、二区脚手架与外墙清理', 70, 1, 68),
  ('5eed0000-0000-4000-8000-000000006181', '5eed0000-0000-4000-8000-000000006101', 1, '一区、二区外墙保温与涂料', 20, 2, 15),
  ('5eed0000-0000-4000-8000-000000006182', '5eed0000-0000-4000-8000-000000006101', 2, '三区、四区外立面', -60, 2, null),
  ('5eed0000-0000-4000-8000-000000006183', '5eed0000-0000-4000-8000-000000006102', 0, '防水层', 50, 2, 45),
  ('5eed0000-0000-4000-8000-000000006184', '5eed0000-0000-4000-8000-000000006102', 1, '平改坡与排水沟', 10, 1, 6),
  ('5eed0000-0000-4000-8000-000000006185', '5eed0000-0000-4000-8000-000000006103', 0, '管网勘测与设计', 55, 1, 50),
  ('5eed0000-0000-4000-8000-000000006186', '5eed0000-0000-4000-8000-000000006103', 1, '一区、二区污水管', -20, 2, null),
  ('5eed0000-0000-4000-8000-000000006187', '5eed0000-0000-4000-8000-000000006103', 2, '三区、四区污水管与接驳', -120, 2, null),
  ('5eed0000-0000-4000-8000-000000006188', '5eed0000-0000-4000-8000-000000006104', 0, '主路沥青', -200, 1, null),
  ('5eed0000-0000-4000-8000-000000006189', '5eed0000-0000-4000-8000-000000006106', 0, '车棚建成', 30, 1, 28),
  ('5eed0000-0000-4000-8000-00000000618a', '5eed0000-0000-4000-8000-000000006106', 1, '充电桩通电', 10, 1, 3),
  ('5eed0000-0000-4000-8000-00000000618b', '5eed0000-0000-4000-8000-000000006107', 0, '车位划线与编号', -150, 1, null)
) as x (id, item, pos, title, planned_ago, weight, done_ago);

insert into public.progress_updates (id, issue_id, estate_id, item_id, note, author_id, created_at)
values
  ('5eed0000-0000-4000-8000-0000000061d0', '5eed0000-0000-4000-8000-000000002101', '5eed0000-0000-4000-8000-000000000102', '5eed0000-0000-4000-8000-000000006101',
   '一区、二区外墙保温和涂料完成，脚手架本周拆除。', '5eed0000-0000-4000-8000-000000001005', now() - interval '15 days'),
  ('5eed0000-0000-4000-8000-0000000061d1', '5eed0000-0000-4000-8000-000000002101', '5eed0000-0000-4000-8000-000000000102', '5eed0000-0000-4000-8000-000000006106',
   '南门非机动车棚的 60 个充电口已通电，扫码充电。', '5eed0000-0000-4000-8000-000000001005', now() - interval '3 days');
update public.milestones set evidence_id = '5eed0000-0000-4000-8000-0000000061d0' where id = '5eed0000-0000-4000-8000-000000006181';
update public.milestones set evidence_id = '5eed0000-0000-4000-8000-0000000061d1' where id = '5eed0000-0000-4000-8000-00000000618a';

-- The timelines: each milestone done and each note, then every event of these issues re-read in time order.
insert into public.issue_events (issue_id, actor_id, kind, action, reason, progress_update_id, created_at)
select m.issue_id, m.done_by, 'milestone_done', case when m.evidence_id is null then 'no_evidence' end, m.title, m.evidence_id, m.done_at
from public.milestones m where m.done_at is not null and m.id::text like '5eed0000-0000-4000-8000-0000000061%'
union all
select u.issue_id, u.author_id, 'progress', null, null, u.id, u.created_at
from public.progress_updates u where u.id::text like '5eed0000-0000-4000-8000-0000000061%'
  and not exists (select 1 from public.milestones m where m.evidence_id = u.id);
with moved as (
  delete from public.issue_events
  where issue_id in (select distinct issue_id from public.work_items where id::text like '5eed0000-0000-4000-8000-0000000061%') returning *
)
insert into public.issue_events (issue_id, actor_id, kind, action, from_status, to_status, reason, related_issue_id, publication_id, progress_update_id, created_at)
select issue_id, actor_id, kind, action, from_status, to_status, reason, related_issue_id, publication_id, progress_update_id, created_at
from moved order by issue_id, created_at, id;

commit;

-- ============================================================================
-- Tasks, the 晋邻 volunteer team and the time bank (issue #15). 晋源水岸花苑's
-- 晋邻 team has 24 members, party members and residents: volunteer@ (its
-- leader) and party@ with 22 neighbours who have no demo password (ids
-- …0000000011NN). The bench issue's decision gives three open tasks on the
-- claim board; a task already done (the benches' places marked out), claimed
-- by party@, reported 2 hours and confirmed by the committee, shows on party@'s
-- statement and service record. party@ is registered with 横塘社区 (双报到).
-- Rows of this section use ids …0000000071NN. It runs after the demo's own transaction,
-- as one statement batch (a second begin/commit would be refused by postgres.js's pool).
-- ============================================================================

insert into auth.users (instance_id, id, aud, role, email, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
select '00000000-0000-0000-0000-000000000000', ('5eed0000-0000-4000-8000-0000000011' || lpad(n::text, 2, '0'))::uuid,
  'authenticated', 'authenticated', 'jinlin' || n || '@demo.linyi.invalid',
  '{"provider":"email","providers":["email"]}'::jsonb,
  jsonb_build_object('display_name', name, 'locale', 'zh-CN'), now() - interval '300 days', now() - interval '300 days'
from unnest(array['张建国', '李秀英', '王志强', '刘桂兰', '陈国庆', '杨玉梅', '赵德明', '黄丽华', '周卫东', '吴淑珍', '徐海波',
  '孙慧敏', '胡建平', '朱红霞', '高永刚', '林美玲', '何立新', '郭春燕', '马文军', '罗晓燕', '梁振华', '宋丽娟']) with ordinality as x (name, n);

-- The first eight are party members (在职党员), the others residents who volunteer.
insert into public.memberships (estate_id, user_id, status, roles, decided_by, decided_at, created_at)
select '5eed0000-0000-4000-8000-000000000101', ('5eed0000-0000-4000-8000-0000000011' || lpad(n::text, 2, '0'))::uuid, 'verified',
  case when n <= 8 then '{party_member,volunteer}'::text[] else '{volunteer}'::text[] end,
  '5eed0000-0000-4000-8000-000000001005', now() - interval '298 days', now() - interval '300 days'
from generate_series(1, 22) n;

insert into public.party_members (community_id, user_id, branch, registered_at)
select '5eed0000-0000-4000-8000-000000000001', user_id, branch, now() - interval '200 days'
from (values
  ('5eed0000-0000-4000-8000-000000001006'::uuid, '晋源区税务局第一党支部'),
  ('5eed0000-0000-4000-8000-000000001101'::uuid, '晋源区人民医院党总支'),
  ('5eed0000-0000-4000-8000-000000001102'::uuid, '晋源街道第二小学党支部'),
  ('5eed0000-0000-4000-8000-000000001103'::uuid, '市供电公司晋源营业所党支部'),
  ('5eed0000-0000-4000-8000-000000001104'::uuid, '晋源区税务局第一党支部'),
  ('5eed0000-0000-4000-8000-000000001105'::uuid, '晋源区法院党组'),
  ('5eed0000-0000-4000-8000-000000001106'::uuid, '市自来水公司党支部'),
  ('5eed0000-0000-4000-8000-000000001107'::uuid, '晋源街道社区卫生服务中心党支部'),
  ('5eed0000-0000-4000-8000-000000001108'::uuid, '晋源区人民医院党总支')
) as v (user_id, branch);

insert into public.teams (id, estate_id, name, about, created_by, created_at)
values ('5eed0000-0000-4000-8000-000000007101', '5eed0000-0000-4000-8000-000000000101', '晋邻',
  '晋源水岸花苑志愿分队：党员和居民一起，修修补补、敲门探望、议事决定的事情一起落实。',
  '5eed0000-0000-4000-8000-000000001005', now() - interval '280 days');

insert into public.team_members (team_id, user_id, role, shown_name, skills, availability, joined_at)
values
  ('5eed0000-0000-4000-8000-000000007101', '5eed0000-0000-4000-8000-000000001003', 'leader', null, '{组织,陪诊}', '工作日晚上、周末', now() - interval '280 days'),
  ('5eed0000-0000-4000-8000-000000007101', '5eed0000-0000-4000-8000-000000001006', 'member', '孙师傅', '{木工,水电}', '周末', now() - interval '270 days');
insert into public.team_members (team_id, user_id, role, shown_name, skills, availability, joined_at)
select '5eed0000-0000-4000-8000-000000007101', ('5eed0000-0000-4000-8000-0000000011' || lpad(n::text, 2, '0'))::uuid, 'member',
  -- Some show only their family name (老张, 李阿姨): names as each member chooses.
  case when n % 4 = 0 then '老' || left(p.display_name, 1) when n % 5 = 0 then left(p.display_name, 1) || '阿姨' end,
  string_to_array((array['理发', '陪诊,代购', '水电', '清扫', '书法,读报'])[1 + n % 5], ','),
  (array['周末上午', '工作日下午', '随时可约', '周六'])[1 + n % 4],
  now() - make_interval(days => 260 - n)
from generate_series(1, 22) n join public.profiles p on p.id = ('5eed0000-0000-4000-8000-0000000011' || lpad(n::text, 2, '0'))::uuid;

-- Open tasks from the bench decision and one knock-on-doors visit (敲门行动), posted by the moderator.
insert into public.tasks (id, estate_id, issue_id, kind, title, needed, area_id, starts_at, ends_at, slots, taken, est_hours,
  eligible, team_id, checkin_code, created_by, created_at)
select v.id::uuid, '5eed0000-0000-4000-8000-000000000101', v.issue::uuid, v.kind, v.title, v.needed,
  (select a.id from public.areas a where a.estate_id = '5eed0000-0000-4000-8000-000000000101' and a.name = v.area),
  date_trunc('day', now() at time zone 'Asia/Shanghai') at time zone 'Asia/Shanghai' + v.starts::interval,
  date_trunc('day', now() at time zone 'Asia/Shanghai') at time zone 'Asia/Shanghai' + v.starts::interval + v.length::interval,
  v.slots, v.taken, v.hours, v.eligible, v.team::uuid, v.code, '5eed0000-0000-4000-8000-000000001004', now() - interval '2 days'
from (values
  ('5eed0000-0000-4000-8000-000000007111', '5eed0000-0000-4000-8000-000000002001', 'repair', '搬运并安装凉亭周围的六张座椅',
   '街道的座椅周六上午送到南门，需要力气大的邻居一起搬到凉亭周围并用膨胀螺栓固定。自带手套，工具由物业提供。',
   '中心花园', '3 days 9 hours', '3 hours', 4, 0, 2.5, 'resident', null, null),
  ('5eed0000-0000-4000-8000-000000007112', '5eed0000-0000-4000-8000-000000002001', 'cleaning', '座椅安装后清扫凉亭周围',
   '座椅装好后清理包装和施工垃圾，分类投放。', '中心花园', '3 days 13 hours', '2 hours', 3, 0, 1.5, 'team',
   '5eed0000-0000-4000-8000-000000007101', null),
  ('5eed0000-0000-4000-8000-000000007113', null, 'visit', '敲门行动：看望11栋独居老人',
   '两人一组上门看看 11 栋的三位独居老人，问问身体和需要，记下要办的事。请党员同志优先认领。', '11栋',
   '5 days 15 hours', '2 hours', 2, 0, 1.5, 'party', null, 'a1b2c3d4e5f60718'),
  -- Done last week: the benches' places marked out with the committee.
  ('5eed0000-0000-4000-8000-000000007114', '5eed0000-0000-4000-8000-000000002001', 'repair', '凉亭周围座椅位置放样',
   '按表决结果在凉亭周围用石灰标出六张座椅的位置，拍照给居委会确认。', '中心花园', '-6 days 9 hours', '3 hours', 1, 1, 2, 'party', null, null)
) as v (id, issue, kind, title, needed, area, starts, length, slots, taken, hours, eligible, team, code);
update public.tasks set status = 'closed' where id = '5eed0000-0000-4000-8000-000000007114';

insert into public.task_claims (id, task_id, user_id, status, claimed_at, started_at, hours, report, reported_at, decided_by, decided_at)
values ('5eed0000-0000-4000-8000-000000007121', '5eed0000-0000-4000-8000-000000007114', '5eed0000-0000-4000-8000-000000001006',
  'confirmed', now() - interval '8 days', now() - interval '6 days', 2, '六个位置已放样，照片发给周主任了。', now() - interval '6 days',
  '5eed0000-0000-4000-8000-000000001005', now() - interval '5 days');

-- Credited as confirm_work credits it: through the ledger's one earning function.
select private.credit_hours('5eed0000-0000-4000-8000-000000000001', '5eed0000-0000-4000-8000-000000001006', 2, 'repair',
  'task_claim', '5eed0000-0000-4000-8000-000000007121');

-- ----------------------------------------------------------------------------
-- Minutes (会议纪要) and the 晋邻 team's meetings around them. About 260 days
-- ago the team's council on 南苑's e-bike charging shed met: 52 people came
-- (the demo accounts, the team, neighbours signed in at the door), 李先生
-- moved the shed, 孙师傅 and 王阿姨 seconded, four spoke for and against, and
-- the hands carried it 45–3–4 (the chair last). Its minutes, assembled from
-- that record, were published for 7 days; 孙师傅 objected to the attendance
-- paragraph, the committee answered (not upheld, with the reason), and the
-- minutes are final. In three days the council meets on 文明养犬 (dog rules):
-- an agenda of three items, the first from 李先生's issue about walking hours
-- (the long-running dog-rules matter itself is followed up, not deliberated),
-- three residents registered; moderator@ chairs it and can open its room.
--   past meeting …5302 (item …5310, motion …5320, speeches …5330–5333,
--   attendance …5311–5316 and generated), minutes publication …5340,
--   objection …5341; upcoming meeting …5301 (items …5303–5305), issue …5350.
-- Ids 5eed0000-0000-4000-8000-0000000053NN.
-- ----------------------------------------------------------------------------

-- The council met at 19:00 China time, 260 days ago.
create function pg_temp.shed_at() returns timestamptz language sql stable as $$
  select (date_trunc('day', now() at time zone 'Asia/Shanghai') - interval '260 days' + interval '19 hours') at time zone 'Asia/Shanghai'
$$;
insert into public.meetings (id, estate_id, kind, title, description, starts_at, ends_at, place, chair_id, recorder_id,
  admission, status, checkin_code, created_by, created_at, updated_at, opened_at, closed_at)
values
  ('5eed0000-0000-4000-8000-000000005302', '5eed0000-0000-4000-8000-000000000101', 'council', '晋邻议事会：南苑电动自行车充电车棚',
   '晋邻志愿服务队召集，议一议南苑建电动自行车充电车棚的选址、规模和费用。', pg_temp.shed_at(), pg_temp.shed_at() + interval '90 minutes',
   '晋源社区党群服务中心二楼议事厅', '5eed0000-0000-4000-8000-000000001004', '5eed0000-0000-4000-8000-000000001003',
   'open', 'closed', '262626', '5eed0000-0000-4000-8000-000000001004', pg_temp.shed_at() - interval '7 days', pg_temp.shed_at(),
   pg_temp.shed_at(), pg_temp.shed_at() + interval '85 minutes');

insert into public.agenda_items (id, meeting_id, position, issue_id, title, planned_minutes, status, started_at, ended_at, outcome) values
  ('5eed0000-0000-4000-8000-000000005310', '5eed0000-0000-4000-8000-000000005302', 1, '5eed0000-0000-4000-8000-000000002004',
   '南苑建设电动自行车充电车棚', 60, 'done', pg_temp.shed_at() + interval '5 minutes', pg_temp.shed_at() + interval '80 minutes', 'carried');

-- The demo accounts (…5311–5316), the team's 22 (checked in on their phones) and 24 neighbours the moderator signed in at the door.
insert into public.meeting_attendance (id, meeting_id, user_id, name, registered_at, checked_in_at, checked_in_by, checked_out_at)
select ('5eed0000-0000-4000-8000-00000000531' || n)::uuid, '5eed0000-0000-4000-8000-000000005302',
  ('5eed0000-0000-4000-8000-00000000100' || n)::uuid, null, pg_temp.shed_at() - interval '3 days',
  pg_temp.shed_at() - make_interval(mins => 10 - n), null, pg_temp.shed_at() + interval '85 minutes'
from generate_series(1, 6) n;
insert into public.meeting_attendance (meeting_id, user_id, registered_at, checked_in_at, checked_out_at)
select '5eed0000-0000-4000-8000-000000005302', ('5eed0000-0000-4000-8000-0000000011' || lpad(n::text, 2, '0'))::uuid,
  pg_temp.shed_at() - interval '2 days', pg_temp.shed_at() - make_interval(mins => 3), pg_temp.shed_at() + interval '85 minutes'
from generate_series(1, 22) n;
insert into public.meeting_attendance (meeting_id, name, checked_in_at, checked_in_by, checked_out_at)
select '5eed0000-0000-4000-8000-000000005302', name, pg_temp.shed_at() - make_interval(mins => 2),
  '5eed0000-0000-4000-8000-000000001004', pg_temp.shed_at() + interval '85 minutes'
from unnest(array['张阿婆', '钱大伯', '孔阿姨', '曹师傅', '严奶奶', '华阿姨', '金大爷', '魏师傅', '陶阿姨', '姜大伯', '戚奶奶', '谢师傅',
  '邹阿姨', '喻大爷', '柏阿婆', '水师傅', '窦阿姨', '章大伯', '云奶奶', '苏师傅', '潘阿姨', '葛大爷', '奚阿婆', '范师傅']) name;

insert into public.motions (id, meeting_id, agenda_item_id, mover_id, body, status, moved_at, debate_opened_at, debate_closed_at, decided_at,
  method, yes, no, abstain) values
  ('5eed0000-0000-4000-8000-000000005320', '5eed0000-0000-4000-8000-000000005302', '5eed0000-0000-4000-8000-000000005310',
   '5eed0000-0000-4000-8000-000000005312', '在南苑东侧空地建设电动自行车充电车棚，设 40 个充电口，扫码按度计费，费用由物业维修资金和街道补贴共同承担。',
   'carried', pg_temp.shed_at() + interval '10 minutes', pg_temp.shed_at() + interval '12 minutes',
   pg_temp.shed_at() + interval '70 minutes', pg_temp.shed_at() + interval '75 minutes', 'hands', 45, 3, 4);
insert into public.motion_seconds (motion_id, attendance_id, created_at) values
  ('5eed0000-0000-4000-8000-000000005320', '5eed0000-0000-4000-8000-000000005316', pg_temp.shed_at() + interval '11 minutes'),
  ('5eed0000-0000-4000-8000-000000005320', '5eed0000-0000-4000-8000-000000005311', pg_temp.shed_at() + interval '12 minutes');

-- Four speeches, for and against in turn: 小陈 for, 张阿婆 (at the door) against, 孙师傅 for, 王阿姨 with a question.
insert into public.speeches (id, meeting_id, motion_id, attendance_id, stance, status, queued_at, queued_by, floor_at, ends_at, ended_at)
select v.id::uuid, '5eed0000-0000-4000-8000-000000005302', '5eed0000-0000-4000-8000-000000005320', v.att, v.stance, 'done',
  pg_temp.shed_at() + make_interval(mins => v.queued), '5eed0000-0000-4000-8000-000000001004',
  pg_temp.shed_at() + make_interval(mins => v.floor), pg_temp.shed_at() + make_interval(mins => v.floor + 2),
  pg_temp.shed_at() + make_interval(mins => v.floor, secs => v.secs)
from (values
  ('5eed0000-0000-4000-8000-000000005330', '5eed0000-0000-4000-8000-000000005313'::uuid, 'for', 13, 15, 110),
  ('5eed0000-0000-4000-8000-000000005331', (select id from public.meeting_attendance where meeting_id = '5eed0000-0000-4000-8000-000000005302' and name = '张阿婆'), 'against', 14, 25, 95),
  ('5eed0000-0000-4000-8000-000000005332', '5eed0000-0000-4000-8000-000000005316'::uuid, 'for', 20, 35, 120),
  ('5eed0000-0000-4000-8000-000000005333', '5eed0000-0000-4000-8000-000000005311'::uuid, 'question', 30, 45, 60)
) v (id, att, stance, queued, floor, secs);

insert into public.meeting_events (meeting_id, at, actor_id, kind, agenda_item_id, motion_id, payload)
select '5eed0000-0000-4000-8000-000000005302', pg_temp.shed_at() + make_interval(mins => v.mins), v.actor::uuid, v.kind,
  case when v.kind <> 'meeting_closed' then '5eed0000-0000-4000-8000-000000005310'::uuid end,
  case when v.kind like 'motion%' or v.kind in ('debate_opened', 'debate_closed', 'hands_recorded') then '5eed0000-0000-4000-8000-000000005320'::uuid end,
  v.payload::jsonb
from (values
  (0, '5eed0000-0000-4000-8000-000000001004', 'meeting_opened', '{}'),
  (5, '5eed0000-0000-4000-8000-000000001004', 'item_started', '{}'),
  (10, '5eed0000-0000-4000-8000-000000001002', 'motion_moved', '{"mover":"5eed0000-0000-4000-8000-000000005312"}'),
  (11, '5eed0000-0000-4000-8000-000000001006', 'motion_seconded', '{"by":"5eed0000-0000-4000-8000-000000005316"}'),
  (12, '5eed0000-0000-4000-8000-000000001001', 'motion_seconded', '{"by":"5eed0000-0000-4000-8000-000000005311"}'),
  (12, '5eed0000-0000-4000-8000-000000001001', 'debate_opened', '{}'),
  (70, '5eed0000-0000-4000-8000-000000001004', 'debate_closed', '{"by_vote": false, "waiting": 0}'),
  (75, '5eed0000-0000-4000-8000-000000001004', 'hands_recorded', '{"yes": 44, "no": 3, "abstain": 4, "chair_vote": "yes", "rule": "more_yes"}'),
  (75, '5eed0000-0000-4000-8000-000000001004', 'motion_carried', '{"yes": 45, "no": 3, "abstain": 4}'),
  (85, '5eed0000-0000-4000-8000-000000001004', 'meeting_closed', '{}')
) v (mins, actor, kind, payload);

-- The minutes, assembled from that record as draft_minutes assembles them, then published and final.
insert into public.meeting_minutes (meeting_id, estate_id, assembled, paragraphs, assembled_at, assembled_by)
select '5eed0000-0000-4000-8000-000000005302', '5eed0000-0000-4000-8000-000000000101', t, t, pg_temp.shed_at() + interval '1 day',
  '5eed0000-0000-4000-8000-000000001003'
from private.assemble_minutes('5eed0000-0000-4000-8000-000000005302') t;
insert into public.publications (id, estate_id, kind, subject_id, issue_id, title, window_days, revision, opens_at, closes_at, status,
  created_by, created_at, final_at)
values ('5eed0000-0000-4000-8000-000000005340', '5eed0000-0000-4000-8000-000000000101', 'minutes', '5eed0000-0000-4000-8000-000000005302',
  null, '会议纪要：晋邻议事会：南苑电动自行车充电车棚', 7, 1, pg_temp.shed_at() + interval '1 day 6 hours', pg_temp.shed_at() + interval '8 days 6 hours', 'final',
  '5eed0000-0000-4000-8000-000000001004', pg_temp.shed_at() + interval '1 day 6 hours', pg_temp.shed_at() + interval '8 days 8 hours');
insert into public.publication_revisions (publication_id, revision, paragraphs, opens_at, closes_at, created_at)
select '5eed0000-0000-4000-8000-000000005340', 1, paragraphs, pg_temp.shed_at() + interval '1 day 6 hours', pg_temp.shed_at() + interval '8 days 6 hours', pg_temp.shed_at() + interval '1 day 6 hours'
from public.meeting_minutes where meeting_id = '5eed0000-0000-4000-8000-000000005302';
update public.meeting_minutes set publication_id = '5eed0000-0000-4000-8000-000000005340' where meeting_id = '5eed0000-0000-4000-8000-000000005302';
insert into public.objections (id, publication_id, revision, paragraph, reason, objector_id, created_at, answer, answer_reason, answered_by, answered_at)
values ('5eed0000-0000-4000-8000-000000005341', '5eed0000-0000-4000-8000-000000005340', 1, 2,
  '我记得那天来了五十多人，门口登记的老人是不是都算进去了？', '5eed0000-0000-4000-8000-000000001006', pg_temp.shed_at() + interval '2 days',
  'rejected', '按签到表核对：手机签到 28 人，门口登记 24 人，共 52 人，与纪要一致。', '5eed0000-0000-4000-8000-000000001005',
  pg_temp.shed_at() + interval '3 days');

-- The shed's timeline: on the council's agenda, then its minutes published and final.
insert into public.issue_events (issue_id, actor_id, kind, action, reason, meeting_id, publication_id, created_at) values
  ('5eed0000-0000-4000-8000-000000002004', '5eed0000-0000-4000-8000-000000001004', 'on_agenda', 'put_on_agenda', '晋邻议事会：南苑电动自行车充电车棚',
   '5eed0000-0000-4000-8000-000000005302', null, pg_temp.shed_at() - interval '5 days'),
  ('5eed0000-0000-4000-8000-000000002004', '5eed0000-0000-4000-8000-000000001004', 'minutes_published', null, null,
   '5eed0000-0000-4000-8000-000000005302', '5eed0000-0000-4000-8000-000000005340', pg_temp.shed_at() + interval '1 day 6 hours'),
  ('5eed0000-0000-4000-8000-000000002004', null, 'minutes_final', null, null,
   '5eed0000-0000-4000-8000-000000005302', '5eed0000-0000-4000-8000-000000005340', pg_temp.shed_at() + interval '8 days 8 hours');
insert into public.meeting_events (meeting_id, at, actor_id, kind, payload) values
  ('5eed0000-0000-4000-8000-000000005302', pg_temp.shed_at() + interval '1 day', '5eed0000-0000-4000-8000-000000001003', 'minutes_drafted', '{}'),
  ('5eed0000-0000-4000-8000-000000005302', pg_temp.shed_at() + interval '1 day 6 hours', '5eed0000-0000-4000-8000-000000001004', 'minutes_published',
   '{"publication_id": "5eed0000-0000-4000-8000-000000005340"}');

-- The upcoming council on 文明养犬: 李先生's issue about walking hours, accepted and on its agenda.
insert into public.issues (id, estate_id, area_id, point_x, point_y, author_id, title, body, category, status, created_at, last_activity_at)
select '5eed0000-0000-4000-8000-000000005350', a.estate_id, a.id, round(120.578600 + 90 / 95100.0, 7), round(31.290400 - 70 / 110900.0, 7),
  '5eed0000-0000-4000-8000-000000001002', '南苑晚上遛狗能不能定个时段和区域',
  '晚上七点到九点南苑草坪上遛狗的最多，孩子也在那儿玩。能不能划出遛狗的区域和时段，其他地方牵绳快走？', 'dogs', 'proposed',
  now() - interval '12 days', now() - interval '1 day'
from public.areas a where a.estate_id = '5eed0000-0000-4000-8000-000000000101' and a.kind = 'courtyard' and a.name = '南苑';
update public.issues set status = 'deliberating' where id = '5eed0000-0000-4000-8000-000000005350';
update public.issue_events set created_at = now() - interval '12 days' where issue_id = '5eed0000-0000-4000-8000-000000005350' and kind = 'proposed';
insert into public.issue_supports (issue_id, user_id, created_at) values
  ('5eed0000-0000-4000-8000-000000005350', '5eed0000-0000-4000-8000-000000001001', now() - interval '11 days'),
  ('5eed0000-0000-4000-8000-000000005350', '5eed0000-0000-4000-8000-000000001003', now() - interval '10 days');

insert into public.meetings (id, estate_id, kind, title, description, starts_at, ends_at, place, chair_id, recorder_id,
  admission, status, checkin_code, created_by, created_at, updated_at)
values ('5eed0000-0000-4000-8000-000000005301', '5eed0000-0000-4000-8000-000000000101', 'council', '晋邻议事会：文明养犬',
  '晋邻志愿服务队召集，议一议南苑遛狗的时段和区域、文明养犬公约和拾便箱。养狗和不养狗的居民都欢迎来。',
  (date_trunc('day', now() at time zone 'Asia/Shanghai') + interval '3 days 19 hours') at time zone 'Asia/Shanghai',
  (date_trunc('day', now() at time zone 'Asia/Shanghai') + interval '3 days 20 hours 30 minutes') at time zone 'Asia/Shanghai',
  '晋源社区党群服务中心二楼议事厅', '5eed0000-0000-4000-8000-000000001004', '5eed0000-0000-4000-8000-000000001003',
  'open', 'scheduled', '353535', '5eed0000-0000-4000-8000-000000001004', now() - interval '1 day', now() - interval '1 day');
insert into public.agenda_items (id, meeting_id, position, issue_id, title, planned_minutes, status) values
  ('5eed0000-0000-4000-8000-000000005303', '5eed0000-0000-4000-8000-000000005301', 1, '5eed0000-0000-4000-8000-000000005350',
   '南苑晚上遛狗能不能定个时段和区域', 40, 'pending'),
  ('5eed0000-0000-4000-8000-000000005304', '5eed0000-0000-4000-8000-000000005301', 2, null, '《晋源水岸花苑文明养犬公约》草案', 30, 'pending'),
  ('5eed0000-0000-4000-8000-000000005305', '5eed0000-0000-4000-8000-000000005301', 3, null, '南苑草坪增设拾便箱的位置', 15, 'pending');
insert into public.issue_events (issue_id, actor_id, kind, action, from_status, to_status, reason, meeting_id, created_at) values
  ('5eed0000-0000-4000-8000-000000005350', '5eed0000-0000-4000-8000-000000001005', 'transition', 'accept', 'proposed', 'accepted', null, null, now() - interval '8 days'),
  ('5eed0000-0000-4000-8000-000000005350', '5eed0000-0000-4000-8000-000000001004', 'transition', 'put_on_agenda', 'accepted', 'deliberating', null, null, now() - interval '1 day'),
  ('5eed0000-0000-4000-8000-000000005350', '5eed0000-0000-4000-8000-000000001004', 'on_agenda', 'put_on_agenda', null, null,
   '晋邻议事会：文明养犬', '5eed0000-0000-4000-8000-000000005301', now() - interval '1 day');
insert into public.meeting_attendance (meeting_id, user_id, registered_at) values
  ('5eed0000-0000-4000-8000-000000005301', '5eed0000-0000-4000-8000-000000001001', now() - interval '20 hours'),
  ('5eed0000-0000-4000-8000-000000005301', '5eed0000-0000-4000-8000-000000001002', now() - interval '18 hours'),
  ('5eed0000-0000-4000-8000-000000005301', '5eed0000-0000-4000-8000-000000001006', now() - interval '6 hours');
insert into public.meeting_events (meeting_id, actor_id, kind, agenda_item_id, payload, at) values
  ('5eed0000-0000-4000-8000-000000005301', '5eed0000-0000-4000-8000-000000001004', 'scheduled', null, '{}', now() - interval '1 day'),
  ('5eed0000-0000-4000-8000-000000005301', '5eed0000-0000-4000-8000-000000001004', 'agenda_added', '5eed0000-0000-4000-8000-000000005303', '{}', now() - interval '1 day'),
  ('5eed0000-0000-4000-8000-000000005301', '5eed0000-0000-4000-8000-000000001004', 'agenda_added', '5eed0000-0000-4000-8000-000000005304', '{}', now() - interval '1 day'),
  ('5eed0000-0000-4000-8000-000000005301', '5eed0000-0000-4000-8000-000000001004', 'agenda_added', '5eed0000-0000-4000-8000-000000005305', '{}', now() - interval '1 day');
-- The shed's timeline re-read in time order, its council's steps among the others.
with moved as (
  delete from public.issue_events where issue_id = '5eed0000-0000-4000-8000-000000002004' returning *
)
insert into public.issue_events (issue_id, actor_id, kind, action, from_status, to_status, reason, related_issue_id, publication_id,
  progress_update_id, meeting_id, created_at)
select issue_id, actor_id, kind, action, from_status, to_status, reason, related_issue_id, publication_id, progress_update_id, meeting_id, created_at
from moved order by created_at, id;
drop function pg_temp.shed_at();
-- ============================================================================
-- Micro-wish hours and asking to join a team (issue #15). The radio 孙师傅
-- (party@) brought took him an hour and a half, as he reported; when 小陈
-- (volunteer@) confirmed it for the resident, the hours were credited to
-- party@'s time bank, as confirm_wish credits them. The open wish for reading
-- glasses is estimated at an hour. 王阿姨 (resident@) has asked to join 晋邻:
-- her request waits for its leader, 小陈. Rows of this section would use ids
-- …0000000073NN; these have none of their own.
-- ============================================================================
update public.wishes set est_hours = 1.5, hours = 1.5 where id = '5eed0000-0000-4000-8000-000000007202';
select private.credit_hours('5eed0000-0000-4000-8000-000000000001', '5eed0000-0000-4000-8000-000000001006', 1.5, 'wish',
  'wish', '5eed0000-0000-4000-8000-000000007202');
insert into public.team_requests (team_id, user_id, shown_name, skills, availability, asked_at)
values ('5eed0000-0000-4000-8000-000000007101', '5eed0000-0000-4000-8000-000000001001', '王阿姨', '{包饺子,陪老人聊天}', '周末下午',
  now() - interval '1 day');

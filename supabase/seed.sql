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
-- Memberships. The demo accounts are verified members of 晋源水岸花苑, each
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
  case status when 'verified' then now() - interval '20 days' end,
  now() - created_ago::interval
from (values
  ('5eed0000-0000-4000-8000-000000001001', 'verified', '5栋', '', '602', null, false, '{}',
   '5eed0000-0000-4000-8000-000000001005', '30 days'),
  ('5eed0000-0000-4000-8000-000000001002', 'verified', '1栋', '1', '301', null, true, '{owner}',
   '5eed0000-0000-4000-8000-000000001005', '30 days'),
  ('5eed0000-0000-4000-8000-000000001003', 'verified', '6栋', '', '901', null, false, '{volunteer}',
   '5eed0000-0000-4000-8000-000000001005', '30 days'),
  ('5eed0000-0000-4000-8000-000000001004', 'verified', '9栋', '', '1202', null, false, '{moderator,volunteer}',
   '5eed0000-0000-4000-8000-000000001005', '30 days'),
  ('5eed0000-0000-4000-8000-000000001005', 'verified', '2栋', '2', '502', null, false, '{committee}',
   '5eed0000-0000-4000-8000-000000001007', '40 days'),
  ('5eed0000-0000-4000-8000-000000001006', 'verified', '10栋', '', '1601', null, false, '{party_member}',
   '5eed0000-0000-4000-8000-000000001005', '30 days'),
  ('5eed0000-0000-4000-8000-000000001007', 'verified', '7栋', '', '301', null, false, '{}',
   '5eed0000-0000-4000-8000-000000001005', '40 days'),
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

drop table seed_area;
drop function pg_temp.unit_id(uuid, text, text, text), pg_temp.person_name(integer),
  pg_temp.metres_rect(numeric, numeric, numeric, numeric), pg_temp.rect(numeric, numeric, numeric, numeric);

commit;

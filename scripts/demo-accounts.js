// The demo accounts that supabase/seed.sql creates (estate 晋源水岸花苑). Printed
// by npm start and listed in the README; tests/db/seed.test.ts checks that
// each one signs in with its password. These passwords are public.
export const DEMO_ACCOUNTS = [
	{ role: 'resident', email: 'resident@demo.linyi.org', password: 'linyi-resident-2026', name: '居民 王阿姨' },
	{ role: 'owner', email: 'owner@demo.linyi.org', password: 'linyi-owner-2026', name: '业主 李先生' },
	{ role: 'volunteer', email: 'volunteer@demo.linyi.org', password: 'linyi-volunteer-2026', name: '志愿者 小陈' },
	{ role: 'moderator', email: 'moderator@demo.linyi.org', password: 'linyi-moderator-2026', name: '主持人 赵老师' },
	{ role: 'committee', email: 'committee@demo.linyi.org', password: 'linyi-committee-2026', name: '居委会 周主任' },
	{ role: 'party member', email: 'party@demo.linyi.org', password: 'linyi-party-2026', name: '党员 孙师傅' },
	{ role: 'admin', email: 'admin@demo.linyi.org', password: 'linyi-admin-2026', name: '社工 刘老师' },
	{ role: 'street admin', email: 'street@demo.linyi.org', password: 'linyi-street-2026', name: '亭林社工站 郑老师' }
];

/**
 * Demo mode's identity: what the core presents to the local gateway, and what that gateway accepts
 * when told nothing else. Public on purpose: demo mode holds no real account.
 */
export const DEMO_TOKEN = 'demo-token';
export const DEMO_SHOPS: readonly string[] = ['demo-shop-1', 'demo-shop-2'];
/** Their names: data, like any Taobao shop's name (Chinese whatever the window's language). */
export const DEMO_SHOP_NAMES: readonly string[] = ['演示店铺·服饰', '演示店铺·数码'];
export const DEMO_TOP_APP_KEY = '12345678';
export const DEMO_TOP_SECRET = 'demo-secret';
export const DEMO_TOP_SESSION = 'demo-session';

/** One constant for electron-builder's appId and Windows' AppUserModelId (toasts need them equal). */
export const APP_ID = 'com.tradebell.app';
export const PRODUCT_NAME = 'TradeBell';

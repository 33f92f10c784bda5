import type { NextConfig } from "next";

const config: NextConfig = {
  reactStrictMode: true,
  // The gateway's address arrives at run time (services__gateway__http__0), so REST is proxied by route handlers.
  poweredByHeader: false,
  devIndicators: false,
};

export default config;

/// <reference types="astro/client" />

declare namespace App {
  interface Locals {
    /** The period a page is about, for the MDX components inside its review. */
    reviewPeriod?: { cadence: import('./kpi/periods.ts').Cadence; period: string; path: string; charts: number };
  }
}

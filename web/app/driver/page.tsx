import { DriverApp } from "@/components/driver/DriverApp";

export default function DriverPage() {
  return <DriverApp />;
}

import { RiderApp } from "@/components/rider/RiderApp";

export default function RiderPage() {
  return <RiderApp />;
}

// scripts/add-new-data.ts — the walkthrough's script; only the import line is Dataline's.
import { Dataset } from "@dataline/client";

async function addNewData() {
  // Load the dataset (DATALINE_URL and DATALINE_API_KEY say where and as whom)
  const dataset = await Dataset.load("Customer Feedback Analysis");

  // Add new records
  await dataset.add([
    { id: "usr_125", feedback: "The new UI is fantastic!", sentiment: "positive" },
    { id: "usr_126", feedback: "My login is not working.", sentiment: "negative" },
  ]);

  // Commit them as a new version
  const version = await dataset.commit("Added Q4 2023 feedback data");
  console.log(`Committed version ${version.hash}`);
}

addNewData().catch((error) => {
  console.error(error);
  process.exit(1);
});

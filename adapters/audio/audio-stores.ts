import { audioStoreKind } from '../../core/config.js';
import type { AudioStore } from '../ports.js';
import type { Implementation } from '../registry.js';

/**
 * The AudioStore implementations: Blob storage when AZURE_STORAGE_CONNECTION_STRING is set; else, on
 * the local host, files in the data folder (LOCAL_AUDIO_STORE=folder, the default) or Azurite in-process.
 */
export const audioStores: readonly Implementation<AudioStore>[] = [
  {
    id: 'azure-blob',
    selectedBy: (config) => audioStoreKind(config) === 'azure-blob',
    describe: (config) => `Blob storage (container ${config.AUDIO_CONTAINER})`,
    async build(config) {
      const { AzureBlobAudioStore } = await import('./azure-blob-audio-store.js');
      return new AzureBlobAudioStore({ connectionString: config.AZURE_STORAGE_CONNECTION_STRING ?? '', containerName: config.AUDIO_CONTAINER });
    },
  },
  {
    id: 'folder',
    selectedBy: (config) => audioStoreKind(config) === 'folder',
    describe: (config) => `files in the data folder (audio/${config.AUDIO_CONTAINER}), links served by this host at /audio/`,
    async build(config, deps) {
      const { openFolderAudioStore } = await import('./folder-audio-files.js');
      return openFolderAudioStore(deps.inDataDir('audio'), config.AUDIO_CONTAINER, deps.hostUrl ?? (() => Promise.resolve(config.CONSOLE_BASE_URL)), deps.fileCalls);
    },
  },
  {
    id: 'azurite',
    selectedBy: (config) => audioStoreKind(config) === 'azurite',
    describe: (config) => `Azurite in-process (container ${config.AUDIO_CONTAINER})`,
    async build(config, deps) {
      const { AzuriteAudioStore } = await import('./azurite-audio-store.js');
      return AzuriteAudioStore.start({ location: deps.inDataDir('azurite'), port: config.AZURITE_BLOB_PORT, containerName: config.AUDIO_CONTAINER });
    },
  },
];

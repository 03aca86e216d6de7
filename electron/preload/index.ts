// Preload of the console window, bundled into one CommonJS file: a
// sandboxed preload can require only 'electron', nothing from disk.
import { contextBridge, ipcRenderer } from 'electron';
import { exposeConsole } from './console-bridge';

exposeConsole(contextBridge, ipcRenderer);
